//! What the fuzz targets share: a scripted host ([`env::FuzzEnv`]) that runs commands through
//! the same dispatch as `execute`, the byte formats of the targets that take more than one text
//! ([`case`]), and the checks every target makes on what the component gives back
//! ([`checks`]). `examples/seed_corpus.rs` writes the fixtures in these formats as the seed
//! corpus.

pub mod case;
pub mod checks;
pub mod env;
