//! A snapshot as text and back: the `.snap` file insta reads (a `---` YAML header, then one
//! figure a line), its parser, and the figure-by-figure comparison of a stored snapshot with a
//! new one, with what the headers say changed underneath.

use super::*;

/// A key as written: one line, never ` = ` (which separates it from the value).
fn key_text(k: &str) -> String {
    k.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace(" = ", " \\= ")
}

/// A value as written: one line.
fn value_text(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn yaml_map(out: &mut String, indent: &str, key: &str, entries: &[(String, String)]) {
    if entries.is_empty() {
        out.push_str(&format!("{indent}{key}: {{}}\n"));
        return;
    }
    out.push_str(&format!("{indent}{key}:\n"));
    for (k, v) in entries {
        out.push_str(&format!("{indent}  {}: {}\n", quoted(k), quoted(v)));
    }
}

impl Snapshot {
    /// The snapshot as a `.snap` file: insta's header, then the body, ending in a newline.
    pub fn text(&self) -> String {
        let i = &self.info;
        let mut out = String::from("---\n");
        out.push_str(&format!("source: {}\n", quoted(&self.source)));
        out.push_str(&format!("expression: {}\n", quoted(&self.expression)));
        out.push_str("info:\n");
        out.push_str(&format!("  tribute: {}\n", quoted(&i.tribute)));
        out.push_str(&format!("  corpus: {}\n", quoted(&i.corpus)));
        out.push_str(&format!("  readings: {}\n", quoted(&i.readings)));
        out.push_str(&format!("  books: {}\n", quoted(&i.books)));
        yaml_map(&mut out, "  ", "layers", &i.layers);
        yaml_map(&mut out, "  ", "used", &i.used);
        yaml_map(&mut out, "  ", "files", &i.files);
        out.push_str("---\n");
        out.push_str(&format!(
            "# The figures of treaty {}: one a line, `row figure = value`, under `[section]`.\n",
            self.treaty
        ));
        out.push_str("# Written by `tribute snapshot`; `tribute snapshot --check` compares (docs/snapshots.md).\n");
        let mut section = None;
        for f in &self.figures {
            if section != Some(f.section.as_str()) {
                out.push_str(&format!("\n[{}]\n", f.section));
                section = Some(f.section.as_str());
            }
            out.push_str(&format!(
                "{} = {}\n",
                key_text(&f.key),
                value_text(&f.value)
            ));
        }
        out
    }

    /// The figures as [`parse`] reads them back from [`Snapshot::text`] (keys and values as
    /// written, one line each).
    pub fn stored(&self) -> Stored {
        Stored {
            info: Some(self.info.clone()),
            figures: self
                .figures
                .iter()
                .map(|f| Figure {
                    section: f.section.clone(),
                    key: key_text(&f.key),
                    value: value_text(&f.value),
                })
                .collect(),
        }
    }
}

/// A node of the header's YAML, as [`Snapshot::text`] writes it.
#[derive(Debug)]
enum Node {
    Text(String),
    Map(Vec<(String, Node)>),
}

/// A key or value as written in the header: a double-quoted (JSON) string, or plain text.
/// Returns the text and the rest of the line.
fn header_scalar(s: &str) -> Option<(String, &str)> {
    if let Some(body) = s.strip_prefix('"') {
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            match ch {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    // `i` is an offset in `body`, one byte into `s`; the `"` takes one more.
                    let end = i.saturating_add(2);
                    let lit = &s[..end];
                    return serde_json::from_str::<String>(lit)
                        .ok()
                        .map(|t| (t, &s[end..]));
                }
                _ => escaped = false,
            }
        }
        None
    } else {
        Some((s.to_string(), ""))
    }
}

fn header_block(lines: &[&str], at: &mut usize, indent: usize) -> Option<Vec<(String, Node)>> {
    let mut out = Vec::new();
    while let Some(line) = lines.get(*at) {
        // Offsets and line numbers within the text: the steps saturate rather than overflow.
        let depth = line
            .len()
            .saturating_sub(line.trim_start_matches(' ').len());
        if line.trim().is_empty() {
            *at = at.saturating_add(1);
            continue;
        }
        if depth < indent {
            break;
        }
        if depth > indent {
            return None;
        }
        let body = &line[depth..];
        let (key, rest) = if body.starts_with('"') {
            let (k, rest) = header_scalar(body)?;
            (k, rest.strip_prefix(':')?)
        } else {
            let (k, rest) = body.split_once(':')?;
            (k.to_string(), rest)
        };
        let rest = rest.trim();
        *at = at.saturating_add(1);
        let node = if rest.is_empty() {
            Node::Map(header_block(lines, at, indent.saturating_add(2))?)
        } else if rest == "{}" {
            Node::Map(Vec::new())
        } else {
            Node::Text(header_scalar(rest)?.0)
        };
        out.push((key, node));
    }
    Some(out)
}

fn info_of(header: &[&str]) -> Option<Info> {
    let mut at = 0;
    let top = header_block(header, &mut at, 0)?;
    let (_, Node::Map(fields)) = top.into_iter().find(|(k, _)| k == "info")? else {
        return None;
    };
    let mut info = Info::default();
    for (k, node) in fields {
        match (k.as_str(), node) {
            ("tribute", Node::Text(t)) => info.tribute = t,
            ("corpus", Node::Text(t)) => info.corpus = t,
            ("readings", Node::Text(t)) => info.readings = t,
            ("books", Node::Text(t)) => info.books = t,
            (name @ ("layers" | "used" | "files"), Node::Map(entries)) => {
                let pairs = entries
                    .into_iter()
                    .filter_map(|(k, v)| match v {
                        Node::Text(t) => Some((k, t)),
                        Node::Map(_) => None,
                    })
                    .collect();
                match name {
                    "layers" => info.layers = pairs,
                    "used" => info.used = pairs,
                    _ => info.files = pairs,
                }
            }
            _ => {}
        }
    }
    Some(info)
}

/// Reads a snapshot's text (shown to users as `path`). A body line that is neither a section,
/// a comment nor `key = value` is an error at its line; a header that cannot be read leaves
/// [`Stored::info`] empty.
pub fn parse(path: &str, text: &str) -> Result<Stored> {
    let text = text.replace("\r\n", "\n");
    let shared: crate::error::Text = std::sync::Arc::new(text.clone());
    let fix = "a snapshot is written by `tribute snapshot`: restore it from version control, or write it anew with `tribute snapshot --accept`";
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(Error::new(
            ErrorKind::Syntax,
            "not a snapshot: the first line must be `---`, the start of its header",
        )
        .at(Location::new(path, &shared, 0..0))
        .help(fix));
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return Err(Error::new(
            ErrorKind::Syntax,
            "not a snapshot: its header never ends (no second `---` line)",
        )
        .at(Location::new(path, &shared, 0..0))
        .help(fix));
    };
    // Line indices and byte offsets within the text: the steps saturate rather than overflow.
    let end = end.saturating_add(1);
    let info = info_of(&lines[1..end]);
    let mut figures = Vec::new();
    let mut section: Option<String> = None;
    let mut offset: usize = lines[..=end]
        .iter()
        .map(|l| l.len().saturating_add(1))
        .fold(0, usize::saturating_add);
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for line in &lines[end.saturating_add(1)..] {
        let start = offset;
        offset = offset.saturating_add(line.len()).saturating_add(1);
        let at = || Location::new(path, &shared, start..start.saturating_add(line.len()));
        let l = line.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = Some(name.to_string());
            continue;
        }
        let Some((key, value)) = l.split_once(" = ") else {
            return Err(Error::new(
                ErrorKind::Syntax,
                "not a figure line: expected `row figure = value`, a `[section]` or a `#` comment",
            )
            .at(at())
            .help(fix));
        };
        let Some(section) = &section else {
            return Err(
                Error::new(ErrorKind::Syntax, "a figure before any `[section]` line")
                    .at(at())
                    .help(fix),
            );
        };
        if !seen.insert((section.clone(), key.to_string())) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!("the figure `{key}` appears twice in section [{section}]"),
            )
            .at(at())
            .help(fix));
        }
        figures.push(Figure {
            section: section.clone(),
            key: key.to_string(),
            value: value.to_string(),
        });
    }
    Ok(Stored { info, figures })
}

/// How the `new` snapshot differs from the `old` one, figure by figure; and, when a figure
/// differs, what the headers say changed in between.
pub fn compare(old: &Stored, new: &Snapshot) -> Difference {
    let new = new.stored();
    let index = |s: &Stored| -> BTreeMap<(String, String), String> {
        s.figures
            .iter()
            .map(|f| ((f.section.clone(), f.key.clone()), f.value.clone()))
            .collect()
    };
    let (was, is) = (index(old), index(&new));
    let mut changes = Vec::new();
    for f in &new.figures {
        let k = (f.section.clone(), f.key.clone());
        match was.get(&k) {
            Some(v) if *v == f.value => {}
            other => changes.push(Change {
                section: f.section.clone(),
                key: f.key.clone(),
                old: other.cloned(),
                new: Some(f.value.clone()),
            }),
        }
    }
    for f in &old.figures {
        if !is.contains_key(&(f.section.clone(), f.key.clone())) {
            changes.push(Change {
                section: f.section.clone(),
                key: f.key.clone(),
                old: Some(f.value.clone()),
                new: None,
            });
        }
    }
    let causes = match (&old.info, &new.info) {
        _ if changes.is_empty() => Vec::new(),
        (Some(a), Some(b)) => causes(a, b),
        (None, _) | (_, None) => vec![
            "the stored snapshot's header cannot be read, so what changed cannot be told".into(),
        ],
    };
    Difference { changes, causes }
}

/// What changed between two headers, in words.
fn causes(a: &Info, b: &Info) -> Vec<String> {
    let mut out = Vec::new();
    if a.tribute != b.tribute {
        out.push(format!("tribute version {} → {}", a.tribute, b.tribute));
    }
    if a.readings != b.readings {
        out.push(format!(
            "readings selected: {} → {}",
            a.readings, b.readings
        ));
    }
    let map = |v: &[(String, String)]| -> BTreeMap<String, String> { v.iter().cloned().collect() };
    let (ua, ub) = (map(&a.used), map(&b.used));
    for (item, r) in &ub {
        match ua.get(item) {
            Some(old) if old != r => out.push(format!("reading of {item}: {old} → {r}")),
            None => out.push(format!("reading of {item}: {r} (not in the snapshot)")),
            _ => {}
        }
    }
    for (item, r) in &ua {
        if !ub.contains_key(item) {
            out.push(format!("reading of {item}: {r} → (no longer used)"));
        }
    }
    if a.books != b.books {
        out.push(format!("price books: {} → {}", a.books, b.books));
    }
    let (fa, fb) = (map(&a.files), map(&b.files));
    let mut file_changed = false;
    for (f, d) in &fb {
        match fa.get(f) {
            Some(old) if old != d => {
                file_changed = true;
                out.push(format!("file {f} changed ({old} → {d})"));
            }
            None => {
                file_changed = true;
                out.push(format!("file {f} is new to these figures"));
            }
            _ => {}
        }
    }
    for f in fa.keys() {
        if !fb.contains_key(f) {
            file_changed = true;
            out.push(format!("file {f} no longer counts"));
        }
    }
    if !file_changed && a.corpus != b.corpus {
        out.push(format!(
            "the corpus changed ({} → {}) in files these figures were not seen to rest on",
            a.corpus, b.corpus
        ));
    }
    if out.is_empty() {
        out.push(
            "nothing the header records changed (the same version, readings and files): the figures are computed differently"
                .into(),
        );
    }
    out
}
