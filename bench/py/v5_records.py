#!/usr/bin/env python3
"""N version-5 flow log records with a header line, varied values (IDs as AWS writes them, 2% NODATA),
for callgrind runs of the CLI: python3 bench/py/v5_records.py 200000 > /tmp/v5-200k.log"""
import random, sys
random.seed(42)
n=int(sys.argv[1])
print("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status")
hx=lambda k: ''.join(random.choice('0123456789abcdef') for _ in range(k))
vpcs=['vpc-'+hx(17) for _ in range(3)]+['vpc-'+hx(8)]
subs=['subnet-'+hx(17) for _ in range(6)]
insts=['i-'+hx(17) for _ in range(20)]+['-']
enis=['eni-'+hx(17) for _ in range(30)]
ip=lambda: "10.%d.%d.%d"%(random.randint(0,255),random.randint(0,255),random.randint(1,254))
for i in range(n):
    t=1418530010+i//10
    s,d=ip(),ip()
    st=random.random()
    if st<0.02:
        print(f"5 {random.choice(vpcs)} {random.choice(subs)} - {random.choice(enis)} 123456789010 IPv4 - - - - - - - - - {t} {t+60} - - NODATA")
        continue
    print(f"5 {random.choice(vpcs)} {random.choice(subs)} {random.choice(insts)} {random.choice(enis)} 123456789010 IPv4 {s} {d} {random.randint(1,65535)} {random.choice([22,443,80,3389,random.randint(1024,65535)])} {s} {d} {random.choice([6,17,1])} {random.randint(40,10**7)} {random.randint(1,10000)} {t} {t+60} {random.choice(['ACCEPT','REJECT'])} {random.choice([2,3,18,19,0])} OK")
