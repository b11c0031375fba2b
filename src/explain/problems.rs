//! A record's field problems as its entry lists them: the field, the machine code, the severity
//! and the sentence (see [`crate::model::problem`]); for a partly masked IPv4 address, what the
//! digits left still tell (`10.0.x.x` is in 10.0.0.0/16, private).

use super::entry::RecordProblem;
use crate::classify::scope::scope;
use crate::model::problem::{masked_ipv4, record_problems, Code};
use crate::model::record::RecordRef;
use crate::text::Lang;
use std::net::IpAddr;

/// The problems of `rec`'s fields, in column order.
pub fn problems(rec: &RecordRef<'_>, lang: Lang) -> Vec<RecordProblem> {
    record_problems(rec.format, rec.values)
        .map(|p| {
            let mut message = p.message(lang);
            if p.code == Code::Redacted {
                if let Some(known) = masked_known(p.value, lang) {
                    message.push_str(&known);
                }
            }
            RecordProblem {
                field: p.field.spec().key,
                code: p.code,
                severity: p.code.severity(),
                message,
                column: p.column,
            }
        })
        .collect()
}

/// What the unmasked octets of a partly masked IPv4 address tell: the network they give and its
/// scope, when one special-purpose block holds all of it (`10.0.x.x`: 10.0.0.0/16, private).
fn masked_known(value: &str, lang: Lang) -> Option<String> {
    let (net, len) = masked_ipv4(value)?;
    if len == 0 {
        return None;
    }
    let info = scope(IpAddr::V4(net));
    let block = info.block?;
    let block_len: u8 = block.prefix.rsplit_once('/')?.1.parse().ok()?;
    if block_len > len {
        return None;
    }
    let label = info.scope.label().get(lang);
    Some(match lang {
        Lang::En => format!(". What is left, {net}/{len}, is {label}"),
        Lang::Ja => format!("。残っている部分の {net}/{len} は{label}です"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_private_addresses_say_what_is_left() {
        assert_eq!(
            masked_known("10.0.x.x", Lang::En).as_deref(),
            Some(". What is left, 10.0.0.0/16, is private (RFC 1918)")
        );
        assert_eq!(
            masked_known("172.31.xx.xx", Lang::En).as_deref(),
            Some(". What is left, 172.31.0.0/16, is private (RFC 1918)")
        );
        // 172.x.x.x could be private or public: nothing is said.
        assert_eq!(masked_known("172.x.x.x", Lang::En), None);
        assert_eq!(masked_known("x.x.x.x", Lang::En), None);
        assert_eq!(masked_known("54.239.x.x", Lang::En), None);
    }
}
