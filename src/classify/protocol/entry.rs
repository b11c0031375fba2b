//! One IANA protocol number: the type the generated table [`super::iana`] fills.

/// An IP protocol number with IANA's keyword and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protocol {
    /// The number, 0..=255.
    pub number: u8,
    /// IANA's keyword as IANA writes it ("TCP", "UDP", "IPv6-ICMP"); "" when IANA gives none
    /// (unassigned numbers, 253 and 254).
    pub keyword: &'static str,
    /// IANA's "Protocol" column ("User Datagram"), or the keyword when that column is empty;
    /// "Unassigned" for unassigned numbers.
    pub name: &'static str,
}
