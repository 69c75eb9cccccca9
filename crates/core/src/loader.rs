//! The loader's old path, kept so that `crate::loader::Corpus` still names the corpus in the
//! modules that use it. The loader itself is `crate::plugin` (reading files) and `crate::corpus`
//! (merging them); new code imports from those.

pub(crate) use crate::corpus::Corpus;
