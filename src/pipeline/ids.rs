//! Typed indices into the site's lists. Pages, sections, glossary terms and search documents
//! are all numbered from 0 by their position in a list, and those numbers travel between the
//! stages; each kind has its own type, so that passing a page's number where a section's is
//! expected is a compile error rather than a wrong page.
//!
//! The lists they index implement `Index` by their id (`site.pages[page]`,
//! `site.sections[section]`, `glossary.terms[term]`); indexing by `usize` still works for
//! code that walks a list by position.

/// Declares an index type: a `usize` that only indexes one kind of list.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            /// The id of the item at position `index` of its list.
            pub const fn new(index: usize) -> Self {
                Self(index)
            }

            /// The position of the item in its list.
            pub const fn index(self) -> usize {
                self.0
            }
        }
    };
}

/// Makes a list (`Vec<T>` and `[T]`) indexable by an id type.
macro_rules! index_by {
    ($id:ty => $item:ty) => {
        impl std::ops::Index<$id> for [$item] {
            type Output = $item;

            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$id> for [$item] {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }

        impl std::ops::Index<$id> for Vec<$item> {
            type Output = $item;

            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}

pub(crate) use index_by;

id_type! {
    /// A page: an index into `Site::pages`. Not interchangeable with a [`SectionId`], so that
    /// a page's index given where a section's is expected no longer compiles.
    PageId
}

id_type! {
    /// A section: an index into `Site::sections`. Not interchangeable with a [`PageId`], so
    /// that a section's index given where a page's is expected no longer compiles.
    SectionId
}

id_type! {
    /// A glossary term (one concept, all its languages): an index into `Glossary::terms`,
    /// shared by the term matchers, the link stage's term uses and the terminology check. A
    /// term's index given where a page's is expected no longer compiles.
    TermId
}

id_type! {
    /// A document of the search index: its number in the index files (`search/f/<n>.json`,
    /// the postings of the shards). Documents are the pages first, document `n` being page
    /// `n`, then the glossary's entries, one per term and language in term order. A document's
    /// number runs past the pages: given where a page's index is expected, it no longer
    /// compiles ([`DocId::page`] converts).
    DocId
}

impl DocId {
    /// The document of a page.
    pub const fn of_page(page: PageId) -> DocId {
        DocId(page.0)
    }

    /// The page this document is, on a site of `pages` pages; `None` for a glossary entry.
    pub fn page(self, pages: usize) -> Option<PageId> {
        (self.0 < pages).then_some(PageId(self.0))
    }

    /// The position of this glossary entry among the glossary's documents, on a site of
    /// `pages` pages; `None` for a page.
    pub fn entry(self, pages: usize) -> Option<usize> {
        self.0.checked_sub(pages)
    }
}
