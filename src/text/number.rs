//! Numbers as people read them.

/// `12345` → `12,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 record`, `2,048 records`: the grouped number and the word for it (English).
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(4249), "4,249");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(plural(1, "record", "records"), "1 record");
        assert_eq!(plural(2048, "record", "records"), "2,048 records");
    }
}
