//! Spacing of Japanese text put together from parts (docs/glossary-ja.md, "Spacing"): a space
//! stays where Japanese meets a Latin word or a number, as AWS's Japanese documentation writes it,
//! and goes between two Japanese characters ("から 自インスタンス" → "から自インスタンス").

/// A character of Japanese text: kana, kanji, the long-vowel mark, Japanese and full-width
/// punctuation (、。「」（）：～).
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3001..=0x303F
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// `s` without the spaces that stand between two Japanese characters. Use it on a Japanese
/// sentence assembled from parts, each written with a space at its edges.
pub fn tidy_ja(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let end = chars[i..].iter().position(|&c| c != ' ').map(|n| i + n);
            let between =
                i > 0 && is_japanese(chars[i - 1]) && end.is_some_and(|e| is_japanese(chars[e]));
            if between {
                i = end.unwrap_or(chars.len());
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tidy_ja;

    #[test]
    fn spaces_stay_only_beside_latin_words_and_numbers() {
        assert_eq!(
            tidy_ja("10.0.0.1（プライベート、VPC 内）から 自インスタンス 10.0.0.5 の ポート 22 へ"),
            "10.0.0.1（プライベート、VPC 内）から自インスタンス 10.0.0.5 のポート 22 へ"
        );
        assert_eq!(
            tidy_ja("範囲（1024～65535） のエフェメラルポート"),
            "範囲（1024～65535）のエフェメラルポート"
        );
        assert_eq!(tidy_ja("VPC のフローログ"), "VPC のフローログ");
    }
}
