//! Writes user text to LinkedIn's "little" text format for a post's `commentary`.
//!
//! LinkedIn parses `\ | { } @ [ ] ( ) < > # * _ ~` as syntax and silently truncates a post at
//! the first one that does not form valid syntax, so plain text must have them escaped. In
//! `auto` mode hashtags and mentions survive as LinkedIn elements; everything else is escaped.

use crate::input::TextFormat;

/// The characters the little text format reserves.
const RESERVED: &[char] = &[
    '\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~',
];

/// The most characters a post's text may have, counted on what the user typed.
pub const MAX_CHARS: usize = 3000;

/// Writes `text` in `format`.
pub fn to_little(text: &str, format: TextFormat) -> String {
    match format {
        TextFormat::Little => text.to_string(),
        TextFormat::Literal => escape(text),
        TextFormat::Auto => auto(text),
    }
}

/// Backslash-escapes every reserved character.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

fn auto(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if c == '#'
            && previous.is_none_or(char::is_whitespace)
            && let Some(word_len) = hashtag_word(&rest[1..])
        {
            let word = &rest[1..1 + word_len];
            out.push_str("{hashtag|\\#|");
            push_escaped(&mut out, word);
            out.push('}');
            previous = word.chars().last();
            rest = &rest[1 + word_len..];
            continue;
        }
        if c == '@'
            && let Some((name, urn, len)) = mention(rest)
        {
            out.push_str("@[");
            push_escaped(&mut out, name);
            out.push_str("](");
            out.push_str(urn);
            out.push(')');
            previous = Some(')');
            rest = &rest[len..];
            continue;
        }
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The byte length of a hashtag word at the start of `text`: a letter, then letters, digits
/// or `_`. `None` when `text` does not start with a letter.
fn hashtag_word(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let end = chars
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(at, _)| at);
    Some(end)
}

/// A mention `@[Display Name](urn:li:person:ID)` or `…(urn:li:organization:ID)` at the start of
/// `text`: the display name, the URN and the byte length of the whole element.
fn mention(text: &str) -> Option<(&str, &str, usize)> {
    let inner = text.strip_prefix("@[")?;
    let close = inner.find("](")?;
    let name = &inner[..close];
    if name.trim().is_empty() || name.contains('\n') {
        return None;
    }
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let urn = &after[..end];
    let id = urn
        .strip_prefix("urn:li:person:")
        .filter(|id| {
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .or_else(|| {
            urn.strip_prefix("urn:li:organization:")
                .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        })?;
    if id.is_empty() {
        return None;
    }
    Some((name, urn, 2 + close + 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_reserved_character() {
        assert_eq!(
            escape(r"\|{}@[]()<>#*_~"),
            r"\\\|\{\}\@\[\]\(\)\<\>\#\*\_\~"
        );
        assert_eq!(escape("plain text, no change."), "plain text, no change.");
    }

    #[test]
    fn auto_keeps_hashtags_and_mentions() {
        assert_eq!(
            to_little("Launch (v2) #rust", TextFormat::Auto),
            r"Launch \(v2\) {hashtag|\#|rust}"
        );
        assert_eq!(
            to_little(
                "Thanks @[Jane Doe](urn:li:person:abc-1_Z)!",
                TextFormat::Auto
            ),
            "Thanks @[Jane Doe](urn:li:person:abc-1_Z)!"
        );
        assert_eq!(
            to_little(
                "@[A (B) Corp](urn:li:organization:2414183)",
                TextFormat::Auto
            ),
            r"@[A \(B\) Corp](urn:li:organization:2414183)"
        );
    }

    #[test]
    fn auto_hashtag_rules() {
        // Only at the start or after whitespace, and only when a letter follows.
        assert_eq!(to_little("a#b", TextFormat::Auto), r"a\#b");
        assert_eq!(to_little("#2024", TextFormat::Auto), r"\#2024");
        assert_eq!(to_little("#", TextFormat::Auto), r"\#");
        assert_eq!(to_little("#rust.", TextFormat::Auto), r"{hashtag|\#|rust}.");
        assert_eq!(
            to_little("x\n#día_1 ok", TextFormat::Auto),
            "x\n{hashtag|\\#|día\\_1} ok"
        );
        assert_eq!(to_little("#a#b", TextFormat::Auto), r"{hashtag|\#|a}\#b");
    }

    #[test]
    fn auto_rejects_malformed_mentions() {
        assert_eq!(
            to_little("@[](urn:li:person:a)", TextFormat::Auto),
            r"\@\[\]\(urn:li:person:a\)"
        );
        assert_eq!(
            to_little("@[x](urn:li:share:1)", TextFormat::Auto),
            r"\@\[x\]\(urn:li:share:1\)"
        );
        assert_eq!(
            to_little("@[x](urn:li:organization:ab)", TextFormat::Auto),
            r"\@\[x\]\(urn:li:organization:ab\)"
        );
        assert_eq!(
            to_little("mail me @ home", TextFormat::Auto),
            r"mail me \@ home"
        );
    }

    #[test]
    fn urls_are_escaped() {
        assert_eq!(
            to_little(
                "https://en.wikipedia.org/wiki/Rust_(language)?a=~b",
                TextFormat::Auto
            ),
            r"https://en.wikipedia.org/wiki/Rust\_\(language\)?a=\~b"
        );
    }

    #[test]
    fn literal_and_little() {
        assert_eq!(
            to_little("#rust @[A](urn:li:person:x)", TextFormat::Literal),
            r"\#rust \@\[A\]\(urn:li:person:x\)"
        );
        assert_eq!(
            to_little("{hashtag|\\#|x} (raw)", TextFormat::Little),
            "{hashtag|\\#|x} (raw)"
        );
    }
}
