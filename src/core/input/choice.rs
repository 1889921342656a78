//! Enums a user types: LinkedIn's values, accepted in any letter case and with `_` and `-`
//! alike, declared with [`choice!`](crate::choice).

use serde_json::Value;

use super::wrong_type;
use crate::core::error::Error;

/// An enum whose values a user types (in any letter case).
pub trait Choice: Sized + Copy + 'static {
    /// Every value, spelled as LinkedIn (or the catalog) spells it.
    const VALUES: &'static [&'static str];
    /// The variants, in the order of `VALUES`.
    const ALL: &'static [Self];

    /// The value as LinkedIn spells it.
    fn as_str(self) -> &'static str;

    /// Any letter case; `_` and `-` alike (`LOGGED_IN`, `logged-in`); and the typed WIT form's
    /// case name (`LoggedIn`) too.
    fn parse(text: &str) -> Option<Self> {
        position(text, Self::VALUES).and_then(|i| Self::ALL.get(i).copied())
    }
}

/// Where `text` is among `values`, compared as [`Choice::parse`] says. Not generic, so every
/// enum shares it.
fn position(text: &str, values: &[&str]) -> Option<usize> {
    let wanted = fold(text.trim());
    values.iter().position(|v| fold(v) == wanted)
}

/// ASCII lower case without `_` and `-`: how enum spellings are compared.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Declares an enum whose values users type, as a [`Choice`] and a [`Field`].
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::core::input::Choice for $name {
            const VALUES: &'static [&'static str] = &[$($value),+];
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }
        }

        impl $crate::core::input::Field for $name {
            const TYPE: $crate::core::input::ParamType = $crate::core::input::ParamType::String;
            const ENUM: &'static [&'static str] = &[$($value),+];

            fn read(value: &::serde_json::Value, name: &str) -> Result<Self, $crate::core::error::Error> {
                $crate::core::input::read_choice(value, name)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::core::input::Choice::as_str(*self))
            }
        }
    };
}

/// Reads an enum value in any letter case.
pub fn read_choice<C: Choice>(value: &Value, name: &str) -> Result<C, Error> {
    let i = choice_index(value, name, C::VALUES)?;
    C::ALL.get(i).copied().ok_or_else(|| no_such_value(name))
}

/// The error of an index past the enum's values. Not generic, so every enum shares it.
fn no_such_value(name: &str) -> Error {
    Error::invalid(name, format!("`{name}` has no such value."))
}

/// Where an enum value is among `values`, or the error naming them all. Not generic, so every
/// enum shares it.
fn choice_index(value: &Value, name: &str, values: &[&str]) -> Result<usize, Error> {
    match value {
        Value::String(s) => position(s, values).ok_or_else(|| {
            Error::invalid(
                name,
                format!(
                    "`{name}` must be one of {}, not {}.",
                    values.join(", "),
                    crate::core::error::quoted(s)
                ),
            )
        }),
        other => Err(wrong_type(name, "a string", other)),
    }
}
