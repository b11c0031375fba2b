//! The names users know for ports they meet in AWS work, with the transports each applies to.
//!
//! Written by hand. IANA's registry names many of these differently ("ms-wbt-server" for RDP,
//! "shilp" as the first name of 2049) or not at all (WireGuard, Kafka); this table supplies the name
//! a reader expects. AWS services are named where a port is the documented default of a managed
//! service (Amazon RDS, ElastiCache, EFS, MSK, ...).

use crate::classify::transport::Transport::{self, Tcp, Udp};

/// A port, or a range of ports, known by a common name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommonPort {
    /// First port of the range.
    pub first: u16,
    /// Last port of the range (equal to `first` for a single port).
    pub last: u16,
    /// The transports the name applies to.
    pub transports: &'static [Transport],
    /// The name users know: "RDP", "Redis / Amazon ElastiCache".
    pub name: &'static str,
    /// A lowercase service name, used when IANA registers nothing for the port: "wireguard".
    pub service: &'static str,
}

const TCP: &[Transport] = &[Tcp];
const UDP: &[Transport] = &[Udp];
const BOTH: &[Transport] = &[Tcp, Udp];

const fn c(
    first: u16,
    last: u16,
    transports: &'static [Transport],
    name: &'static str,
    service: &'static str,
) -> CommonPort {
    CommonPort {
        first,
        last,
        transports,
        name,
        service,
    }
}

/// The common names, sorted by first port; ranges do not overlap.
#[rustfmt::skip]
pub static COMMON_PORTS: &[CommonPort] = &[
    c(20, 20, TCP, "FTP data", "ftp-data"),
    c(21, 21, TCP, "FTP", "ftp"),
    c(22, 22, TCP, "SSH", "ssh"),
    c(23, 23, TCP, "Telnet", "telnet"),
    c(25, 25, TCP, "SMTP", "smtp"),
    c(53, 53, BOTH, "DNS", "domain"),
    c(67, 67, UDP, "DHCP server", "bootps"),
    c(68, 68, UDP, "DHCP client", "bootpc"),
    c(69, 69, UDP, "TFTP", "tftp"),
    c(80, 80, TCP, "HTTP", "http"),
    c(88, 88, BOTH, "Kerberos", "kerberos"),
    c(110, 110, TCP, "POP3", "pop3"),
    c(111, 111, BOTH, "ONC RPC portmapper", "sunrpc"),
    c(123, 123, UDP, "NTP", "ntp"),
    c(135, 135, TCP, "Microsoft RPC", "epmap"),
    c(137, 139, BOTH, "NetBIOS", "netbios"),
    c(143, 143, TCP, "IMAP", "imap"),
    c(161, 161, UDP, "SNMP", "snmp"),
    c(162, 162, UDP, "SNMP trap", "snmptrap"),
    c(179, 179, TCP, "BGP", "bgp"),
    c(389, 389, BOTH, "LDAP", "ldap"),
    c(443, 443, BOTH, "HTTPS", "https"),
    c(445, 445, TCP, "SMB", "microsoft-ds"),
    c(464, 464, BOTH, "Kerberos password change", "kpasswd"),
    c(465, 465, TCP, "SMTPS", "submissions"),
    c(500, 500, UDP, "IKE (IPsec VPN)", "isakmp"),
    c(514, 514, UDP, "syslog", "syslog"),
    c(587, 587, TCP, "SMTP submission", "submission"),
    c(636, 636, TCP, "LDAPS", "ldaps"),
    c(853, 853, TCP, "DNS over TLS", "domain-s"),
    c(873, 873, TCP, "rsync", "rsync"),
    c(993, 993, TCP, "IMAPS", "imaps"),
    c(995, 995, TCP, "POP3S", "pop3s"),
    c(1194, 1194, BOTH, "OpenVPN", "openvpn"),
    c(1433, 1433, TCP, "Microsoft SQL Server", "ms-sql-s"),
    c(1521, 1521, TCP, "Oracle Database", "oracle"),
    c(1812, 1813, UDP, "RADIUS", "radius"),
    c(1883, 1883, TCP, "MQTT", "mqtt"),
    c(2049, 2049, BOTH, "NFS / Amazon EFS", "nfs"),
    c(2181, 2181, TCP, "ZooKeeper", "zookeeper"),
    c(2375, 2375, TCP, "Docker API", "docker"),
    c(2376, 2376, TCP, "Docker API (TLS)", "docker-s"),
    c(2379, 2380, TCP, "etcd", "etcd"),
    c(3268, 3268, TCP, "LDAP global catalog", "msft-gc"),
    c(3269, 3269, TCP, "LDAPS global catalog", "msft-gc-ssl"),
    c(3306, 3306, TCP, "MySQL / Amazon Aurora / RDS", "mysql"),
    c(3389, 3389, BOTH, "RDP", "ms-wbt-server"),
    c(4500, 4500, UDP, "IPsec NAT traversal (IKE)", "ipsec-nat-t"),
    c(4789, 4789, UDP, "VXLAN", "vxlan"),
    c(5432, 5432, TCP, "PostgreSQL / Amazon RDS", "postgresql"),
    c(5439, 5439, TCP, "Amazon Redshift", "redshift"),
    c(5671, 5671, TCP, "AMQP over TLS / Amazon MQ", "amqps"),
    c(5672, 5672, TCP, "RabbitMQ / AMQP", "amqp"),
    c(5985, 5985, TCP, "WinRM (HTTP)", "wsman"),
    c(5986, 5986, TCP, "WinRM (HTTPS)", "wsmans"),
    c(6081, 6081, UDP, "GENEVE (Gateway Load Balancer)", "geneve"),
    c(6379, 6379, TCP, "Redis / Amazon ElastiCache", "redis"),
    c(6443, 6443, TCP, "Kubernetes API", "kube-apiserver"),
    c(8080, 8080, TCP, "HTTP alternate", "http-alt"),
    c(8182, 8182, TCP, "Amazon Neptune", "neptune"),
    c(8443, 8443, TCP, "HTTPS alternate", "https-alt"),
    c(8883, 8883, TCP, "MQTT over TLS / AWS IoT Core", "secure-mqtt"),
    c(9042, 9042, TCP, "Cassandra / Amazon Keyspaces", "cassandra"),
    c(9090, 9090, TCP, "Prometheus", "prometheus"),
    c(9092, 9092, TCP, "Kafka / Amazon MSK", "kafka"),
    c(9094, 9094, TCP, "Kafka TLS / Amazon MSK", "kafka-tls"),
    c(9096, 9096, TCP, "Kafka SASL/SCRAM / Amazon MSK", "kafka-sasl"),
    c(9098, 9098, TCP, "Kafka IAM / Amazon MSK", "kafka-iam"),
    c(9100, 9100, TCP, "Prometheus node exporter", "node-exporter"),
    c(9142, 9142, TCP, "Amazon Keyspaces (TLS)", "cassandra-tls"),
    c(9200, 9200, TCP, "Elasticsearch / Amazon OpenSearch", "elasticsearch"),
    c(10250, 10250, TCP, "Kubernetes kubelet", "kubelet"),
    c(11211, 11211, BOTH, "Memcached / Amazon ElastiCache", "memcache"),
    c(27017, 27017, TCP, "MongoDB / Amazon DocumentDB", "mongodb"),
    c(51820, 51820, UDP, "WireGuard", "wireguard"),
];
