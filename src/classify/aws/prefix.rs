//! One prefix of AWS's ip-ranges.json, as the index and the scanner both make it.

use ipnet::IpNet;
use std::sync::Arc;

/// A region, service or border group name from the file, shared by every prefix that has it
/// (the file repeats a few hundred names over ~11k prefixes).
pub type Name = Arc<str>;

/// One prefix of ip-ranges.json with everything the file says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsPrefix {
    /// The prefix, e.g. `15.152.0.0/16`.
    pub net: IpNet,
    /// Region code, e.g. `ap-northeast-3`, or `GLOBAL`.
    pub region: Name,
    /// Every service the file lists for this prefix, in file order (`AMAZON`, `EC2`, ...); the
    /// prefixes with the same list share it.
    pub services: Arc<[Name]>,
    /// Network border group (differs from the region for Local Zones and Wavelength Zones).
    pub network_border_group: Option<Name>,
    /// Index of the nearest enclosing prefix, if any.
    pub parent: Option<u32>,
}
