//! Slugs: the URL-safe names of courses, lessons, headings and questions.

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

/// Splits a file stem such as `005-neurons-and-the-brain` into its order number and slug.
pub fn split_numeric_prefix(stem: &str) -> (Option<u32>, &str) {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (None, stem);
    }
    let rest = &stem[digits..];
    let rest = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('_'))
        .unwrap_or(rest);
    (stem[..digits].parse().ok(), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_dashed_lowercase_slugs() {
        assert_eq!(slugify("Neurons & the Brain!"), "neurons-the-brain");
        assert_eq!(slugify("  Why 2012?  "), "why-2012");
        assert_eq!(slugify("f(x) = w·x + b"), "fx-wx-b");
    }

    #[test]
    fn numeric_prefixes_give_the_order() {
        assert_eq!(split_numeric_prefix("005-neurons"), (Some(5), "neurons"));
        assert_eq!(split_numeric_prefix("intro"), (None, "intro"));
    }

    #[test]
    fn path_traversal_is_not_a_valid_slug() {
        assert!(is_valid_slug("neural-nets-2"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug("Caps"));
    }
}
