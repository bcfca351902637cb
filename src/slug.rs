//! Slugs: the URL-safe names of courses, lessons, headings and questions, and the
//! allocation of unique ids on a page.
//!
//! One rule for every name that becomes part of a URL ([`url_slug`], [`is_valid_slug`]):
//! lowercase ASCII letters, digits and single dashes, whether the author wrote the slug
//! or it comes from a file name. Heading ids are fragments, not paths, and keep letters
//! of any script ([`slugify`]).
//!
//! Owns: slugs and a page's unique ids. Never does: decide what a slug is for.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// Turns a title into a slug: lowercase ASCII letters and digits, words joined by `-`.
/// Letters with accents lose them only where they are ASCII-compatible; other characters
/// are dropped, so "Neurons & the Brain!" becomes `neurons-the-brain`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' || c == '/' || c == '.' {
            pending_dash = true;
        }
    }
    slug
}

/// Turns a name into a URL slug that [`is_valid_slug`] accepts: letters are decomposed
/// (NFKD) and keep their ASCII base (`Ünï` becomes `uni`, full-width `ＡＢ` becomes `ab`);
/// what has no ASCII form is dropped, so the result may be empty. For ASCII text it is
/// [`slugify`].
pub fn url_slug(text: &str) -> String {
    let mut ascii = String::with_capacity(text.len());
    for c in text.nfkd() {
        if c.is_ascii() {
            ascii.push(c);
        } else if c.is_whitespace() {
            ascii.push(' ');
        }
        // Accents (combining marks after decomposition), letters without an ASCII form
        // and symbols are dropped, as `slugify` drops symbols.
    }
    slugify(&ascii)
}

/// Whether `s` is usable as a URL segment as it is: lowercase letters, digits and single
/// dashes, starting with a letter or digit. This also keeps `..` and `/` out of paths.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Splits a file or folder name such as `005-neurons`, `1.2-roles` or `2.10.1_x` into
/// the numbers of its order (`[5]`, `[1, 2]`, `[2, 10, 1]`) and the rest. Books number
/// their pages by chapter (`1.1`, `1.2`, ..., `1.10`); each number is compared as a
/// number, so `1.10` comes after `1.9`.
pub fn split_order_prefix(stem: &str) -> (Option<Vec<u32>>, &str) {
    let mut numbers = Vec::new();
    let mut rest = stem;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Some(number) = (digits > 0)
            .then(|| rest[..digits].parse::<u32>().ok())
            .flatten()
        else {
            break;
        };
        let after = &rest[digits..];
        // A dot continues the number only when digits follow it (`1.2`, not `1.intro`).
        let dotted = after
            .strip_prefix('.')
            .filter(|more| more.starts_with(|c: char| c.is_ascii_digit()));
        numbers.push(number);
        rest = after;
        match dotted {
            Some(more) => rest = more,
            None => break,
        }
    }
    if numbers.is_empty() {
        return (None, stem);
    }
    let rest = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('_'))
        .unwrap_or(rest);
    (Some(numbers), rest)
}

/// The ids of one page: each id handed out once. Asking again for a taken id gives it a
/// numbered suffix (`core`, `core-1`, `core-2`, ...); the next number to try is kept per
/// base, so handing out n equal ids costs O(n), not O(n²).
#[derive(Debug, Default)]
pub struct PageIds {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl PageIds {
    /// A page whose ids `reserved` are taken already.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> PageIds {
        let mut ids = PageIds::default();
        for id in reserved {
            ids.taken.insert(id.to_string());
        }
        ids
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// Takes `id` as it is; false if it was taken already.
    pub fn claim(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    /// Takes `base`, or `base-N` with the smallest N from `first` on that is free.
    pub fn unique(&mut self, base: &str, first: usize) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next.entry(base.to_string()).or_insert(first);
        loop {
            let id = format!("{base}-{next}");
            *next += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Every id taken, for checking links to `#anchors`.
    pub fn into_set(self) -> HashSet<String> {
        self.taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_slugs_are_ascii_whatever_the_name() {
        assert_eq!(url_slug("ünï-ω"), "uni");
        assert_eq!(url_slug("ＦＵＬＬ Width"), "full-width");
        assert_eq!(url_slug("Crème brûlée"), "creme-brulee");
        assert_eq!(url_slug("数学"), "");
        assert!(is_valid_slug(&url_slug("Ça va? Très bien!")));
    }

    #[test]
    fn page_ids_number_repeats_and_skip_taken_ones() {
        let mut ids = PageIds::with_reserved(["toc"]);
        assert_eq!(ids.unique("toc", 1), "toc-1");
        assert!(ids.claim("core-2"));
        assert_eq!(ids.unique("core", 1), "core");
        assert_eq!(ids.unique("core", 1), "core-1");
        assert_eq!(ids.unique("core", 1), "core-3");
        assert!(!ids.claim("core"));
    }

    #[test]
    fn titles_become_dashed_lowercase_slugs() {
        assert_eq!(slugify("Neurons & the Brain!"), "neurons-the-brain");
        assert_eq!(slugify("  Why 2012?  "), "why-2012");
        assert_eq!(slugify("f(x) = w·x + b"), "fx-wx-b");
    }

    #[test]
    fn dotted_prefixes_give_each_level_of_the_order() {
        assert_eq!(
            split_order_prefix("005-neurons"),
            (Some(vec![5]), "neurons")
        );
        assert_eq!(split_order_prefix("1.2-roles"), (Some(vec![1, 2]), "roles"));
        assert_eq!(split_order_prefix("2.10.1_x"), (Some(vec![2, 10, 1]), "x"));
        assert_eq!(split_order_prefix("3.intro"), (Some(vec![3]), ".intro"));
        assert_eq!(split_order_prefix("intro"), (None, "intro"));
        assert_eq!(split_order_prefix("99999999999-x"), (None, "99999999999-x"));
    }

    #[test]
    fn path_traversal_is_not_a_valid_slug() {
        assert!(is_valid_slug("neural-nets-2"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug("Caps"));
    }
}
