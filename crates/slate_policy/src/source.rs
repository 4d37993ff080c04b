//! One location type for every stage: a byte span into a shared source file.

use std::fmt;
use std::sync::Arc;

use miette::{MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A policy file's text, shared by every span that points into it.
#[derive(Clone)]
pub struct Source {
    inner: Arc<SourceInner>,
}

struct SourceInner {
    name: String,
    /// The path relative to the policy root, for provenance that does not
    /// depend on where Slate was run from.
    relative: Option<String>,
    text: String,
    /// Byte offset of the start of every line, for line/column look-ups.
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            inner: Arc::new(SourceInner {
                name: name.into(),
                relative: None,
                text,
                line_starts,
            }),
        }
    }

    /// A source with a name relative to its policy root as well.
    pub fn with_relative(
        name: impl Into<String>,
        relative: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        let mut source = Self::new(name, text);
        if let Some(inner) = Arc::get_mut(&mut source.inner) {
            inner.relative = Some(relative.into());
        }
        source
    }

    /// The path relative to the policy root (the plain name when unknown).
    pub fn relative_name(&self) -> &str {
        self.inner.relative.as_deref().unwrap_or(&self.inner.name)
    }

    /// The file name as the user gave it (relative to where Slate was run).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.inner.text.len());
        let line = self
            .inner
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.inner.line_starts.get(line).copied().unwrap_or(0);
        let column = self
            .inner
            .text
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offset of a 1-based line and 1-based character column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.inner.line_starts.get(line.saturating_sub(1)) else {
            return self.inner.text.len();
        };
        let rest = self.inner.text.get(start..).unwrap_or("");
        start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i)
    }

    /// A span at `offset` covering the rest of the token there (up to a
    /// delimiter), for tools that only report a start position.
    pub fn token_at(&self, offset: usize) -> Span {
        let rest = self.inner.text.get(offset..).unwrap_or("");
        let len = rest.find(['\n', ',', ']', '}', '#']).unwrap_or(rest.len());
        let len = rest.get(..len).map_or(0, |t| t.trim_end().len());
        Span::new(offset, len)
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Source").field(&self.inner.name).finish()
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        let contents =
            self.inner
                .text
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.inner.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

/// A byte range in a [`Source`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

impl Span {
    pub const fn new(start: usize, len: usize) -> Self {
        Self { start, len }
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.len)
    }
}

/// A location: a span plus the file it points into.
#[derive(Clone, Debug)]
pub struct Loc {
    pub source: Source,
    pub span: Span,
}

impl Loc {
    pub fn new(source: &Source, span: Span) -> Self {
        Self {
            source: source.clone(),
            span,
        }
    }

    /// `file:line:col`, as compilers print it.
    pub fn display(&self) -> String {
        let (line, col) = self.source.line_col(self.span.start);
        format!("{}:{line}:{col}", self.source.name())
    }
}

/// A value with the span of the YAML node it came from. The span is left out
/// of equality and hashing so that two values written in different places
/// still compare equal.
#[derive(Clone, Debug, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned::new(f(self.value), self.span)
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned::new(&self.value, self.span)
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Spanned<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The schema of a `Spanned<T>` is `T`'s: spans are not part of the language.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}
