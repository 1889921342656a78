//! Writes user text to LinkedIn's "little" text format for a post's `commentary`.
//!
//! LinkedIn parses `\ | { } @ [ ] ( ) < > # * _ ~` as syntax and silently truncates a post at
//! the first one that does not form valid syntax, so plain text must have them escaped. In
//! `auto` mode hashtags and mentions survive as LinkedIn elements; everything else is escaped.

crate::choice!(
    /// How post text is written to little text.
    TextFormat { Auto = "auto", Literal = "literal", Little = "little" }
);

/// Whether the little text format reserves `c`. A `matches!` rather than a search of a list:
/// every character of a post passes through here, and a 3,000-character post searched a
/// 15-entry list for each one.
fn is_reserved(c: char) -> bool {
    matches!(
        c,
        '\\' | '|' | '{' | '}' | '@' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '*' | '_' | '~'
    )
}

/// `text` cut before its first reserved character: the plain run, and the rest (which is empty
/// or starts with that character).
fn plain_run(text: &str) -> (&str, &str) {
    let at = text.find(is_reserved).unwrap_or(text.len());
    text.split_at_checked(at).unwrap_or((text, ""))
}

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
    let mut rest = text;
    loop {
        let (plain, special) = plain_run(rest);
        out.push_str(plain);
        let mut chars = special.chars();
        let Some(c) = chars.next() else { break };
        out.push('\\');
        out.push(c);
        rest = chars.as_str();
    }
}

fn auto(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    let mut previous: Option<char> = None;
    loop {
        // Characters without syntax go out as they are, in one run.
        let (plain, special) = plain_run(rest);
        out.push_str(plain);
        if let Some(last) = plain.chars().last() {
            previous = Some(last);
        }
        rest = special;
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let after = chars.as_str();
        if c == '#'
            && previous.is_none_or(char::is_whitespace)
            && let Some((word, tail)) = hashtag_word(after)
        {
            // The word is written as typed: it holds only letters, digits and `_`, and LinkedIn
            // reads the template up to its `}` (`#rust_lang` is `{hashtag|\#|rust_lang}`).
            out.push_str("{hashtag|\\#|");
            out.push_str(word);
            out.push('}');
            previous = word.chars().last();
            rest = tail;
            continue;
        }
        if c == '@'
            && let Some((name, urn, tail)) = mention(rest)
        {
            out.push_str("@[");
            push_escaped(&mut out, name);
            out.push_str("](");
            out.push_str(urn);
            out.push(')');
            previous = Some(')');
            rest = tail;
            continue;
        }
        // A reserved character that starts no hashtag or mention.
        out.push('\\');
        out.push(c);
        previous = Some(c);
        rest = after;
    }
    out
}

/// A hashtag word at the start of `text` (a letter, then letters, digits or `_`) and the text
/// after it. `None` when `text` does not start with a letter.
fn hashtag_word(text: &str) -> Option<(&str, &str)> {
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let end = chars
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(at, _)| at);
    text.split_at_checked(end)
}

/// A mention `@[Display Name](urn:li:person:ID)` or `…(urn:li:organization:ID)` at the start of
/// `text`: the display name, the URN and the text after the element.
fn mention(text: &str) -> Option<(&str, &str, &str)> {
    let inner = text.strip_prefix("@[")?;
    let (name, after) = inner.split_once("](")?;
    if name.trim().is_empty() || name.contains('\n') {
        return None;
    }
    let (urn, tail) = after.split_once(')')?;
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
    Some((name, urn, tail))
}

/// The commentary LinkedIn stores, as the text a user would type: escapes removed, hashtag
/// templates (`{hashtag|\#|word}`) back to `#word`, mentions kept as `@[Name](urn)` with the
/// name unescaped. For text written by [`to_little`] in `auto` mode this gives back exactly what
/// was typed, so reading a post after creating it shows the user their own text.
pub fn to_plain(little: &str) -> String {
    let mut out = String::with_capacity(little.len());
    let mut rest = little;
    loop {
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if c == '\\' {
            // A trailing backslash escapes nothing and stays.
            out.push(chars.next().unwrap_or('\\'));
            rest = chars.as_str();
            continue;
        }
        if c == '{'
            && let Some((word, tail)) = hashtag_template(rest)
        {
            out.push('#');
            out.push_str(&word);
            rest = tail;
            continue;
        }
        if c == '@'
            && let Some((name, urn, tail)) = little_mention(rest)
        {
            out.push_str("@[");
            out.push_str(&name);
            out.push_str("](");
            out.push_str(urn);
            out.push(')');
            rest = tail;
            continue;
        }
        out.push(c);
        rest = chars.as_str();
    }
    out
}

/// Text up to the first unescaped `stop`, unescaped, and the text after the `stop`.
fn until_unescaped(text: &str, stop: char) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            c if c == stop => return Some((out, chars.as_str())),
            c => out.push(c),
        }
    }
    None
}

/// `{hashtag|\#|word}` (or `#`, `＃` as the sign) at the start of `text`: the word and the text
/// after the template.
fn hashtag_template(text: &str) -> Option<(String, &str)> {
    let after = text.strip_prefix("{hashtag|")?;
    let (sign, rest) = until_unescaped(after, '|')?;
    if sign != "#" && sign != "\u{ff03}" {
        return None;
    }
    let (word, tail) = until_unescaped(rest, '}')?;
    if word.is_empty() {
        return None;
    }
    Some((word, tail))
}

/// `@[Name](urn:li:…)` in little text at the start of `text`: the unescaped name, the URN and
/// the text after the element.
fn little_mention(text: &str) -> Option<(String, &str, &str)> {
    let after = text.strip_prefix("@[")?;
    let (name, rest) = until_unescaped(after, ']')?;
    let (urn, tail) = rest.strip_prefix('(')?.split_once(')')?;
    if name.is_empty() || !urn.starts_with("urn:li:") {
        return None;
    }
    Some((name, urn, tail))
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
            "x\n{hashtag|\\#|día_1} ok"
        );
        assert_eq!(
            to_little("#rust_lang and _x_", TextFormat::Auto),
            r"{hashtag|\#|rust_lang} and \_x\_"
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

    #[test]
    fn plain_text_back_from_little() {
        assert_eq!(
            to_plain(r"Launch \(v2\) {hashtag|\#|rust}"),
            "Launch (v2) #rust"
        );
        assert_eq!(
            to_plain("{hashtag|#|Technology} and {hashtag|\u{ff03}|x}"),
            "#Technology and #x"
        );
        assert_eq!(
            to_plain(r"Thanks @[A \(B\) Corp](urn:li:organization:2414183)!"),
            "Thanks @[A (B) Corp](urn:li:organization:2414183)!"
        );
        assert_eq!(to_plain(r"\{hashtag\|\#\|x\}"), "{hashtag|#|x}");
        assert_eq!(to_plain("{hashtag|\\#|d\u{ed}a\\_1}"), "#d\u{ed}a_1");
        assert_eq!(to_plain(r"{hashtag|\#|rust_lang}"), "#rust_lang");
        assert_eq!(to_plain("plain {brace} @ x \\"), "plain {brace} @ x \\");
        assert_eq!(to_plain("trailing \\"), "trailing \\");
    }

    proptest::proptest! {
        /// What a user types comes back unchanged after the round trip through LinkedIn's
        /// stored form, in every mode that writes plain text.
        #[test]
        fn prop_typed_text_survives_the_round_trip(
            text in "([a-zA-Z0-9_ \\n]|[\\\\|{}@\\[\\]()<>#*_~]|#[a-z_]{1,5}|@\\[[a-zA-Z ()]{1,8}\\]\\(urn:li:(person:[a-z0-9]{1,4}|organization:[0-9]{1,4})\\)|é|＃){0,24}"
        ) {
            proptest::prop_assert_eq!(to_plain(&to_little(&text, TextFormat::Auto)), text.clone());
            proptest::prop_assert_eq!(to_plain(&to_little(&text, TextFormat::Literal)), text);
        }
    }
}
