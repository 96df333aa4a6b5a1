//! Finding and loading decks: the shipped ones embedded in the binary, and
//! user folders from `--decks` / `DANGKE_DECKS`. Deck ids must be unique
//! across everything loaded, and a clash names both places.

use std::path::{Path, PathBuf};

use super::Deck;
use super::cache;
use super::parse::parse_deck;
use crate::diag::{Diagnostic, Report, Severity, SourceText};

/// A deck file compiled into the binary.
pub struct ShippedDeck {
    /// Path relative to the crate root, e.g. `decks/wu-ge-bi-yu.toml`.
    pub path: &'static str,
    /// Absolute path of the file the binary was built from.
    pub source_path: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/shipped_decks.rs"));

/// Where a deck was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Shipped(&'static str),
    File(PathBuf),
}

impl Origin {
    /// The path as shown in diagnostics.
    pub fn display(&self) -> String {
        match self {
            Origin::Shipped(path) => (*path).to_owned(),
            Origin::File(path) => path.display().to_string(),
        }
    }

    /// How the place is named when another deck clashes with it.
    pub fn describe(&self) -> String {
        match self {
            Origin::Shipped(path) => format!("内置卡组 {path}"),
            Origin::File(path) => path.display().to_string(),
        }
    }
}

/// Deck files larger than this are refused instead of parsed.
pub const MAX_DECK_BYTES: u64 = 16 * 1024 * 1024;

/// Every loaded deck.
#[derive(Debug, Default)]
pub struct Library {
    pub decks: Vec<Deck>,
}

impl Library {
    /// Loads the shipped decks and every deck file under `dirs`. Returns the
    /// library and its warnings, or every diagnostic when any is an error.
    pub fn load(dirs: &[PathBuf]) -> Result<(Library, Report), Report> {
        Library::load_cached(dirs, None)
    }

    /// [`Library::load`], using and refreshing the compiled deck cache in
    /// `cache` (see `cache.rs`): unchanged files are not parsed again, so
    /// the warnings inside a cached file are not reported (`dangke check`
    /// parses every file).
    pub fn load_cached(
        dirs: &[PathBuf],
        cache: Option<&Path>,
    ) -> Result<(Library, Report), Report> {
        let mut loader = Loader {
            cache: cache.map(Path::to_owned),
            ..Loader::default()
        };
        loader.add_shipped();
        for dir in dirs {
            loader.add_path(dir);
        }
        loader.finish()
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id == id)
    }

    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|d| d.cards.len()).sum()
    }
}

/// Accumulates decks and diagnostics from many files.
#[derive(Default)]
pub struct Loader {
    pub decks: Vec<Deck>,
    pub report: Report,
    /// Decks that new decks must not clash with but that are not part of
    /// the result (the shipped decks while checking user files).
    reserved: Vec<Deck>,
    /// Contest files met among the deck files: (path, text), checked by
    /// `dangke check` once every deck is known.
    pub contests: Vec<(String, String)>,
    /// Paper plans (`dangke paper --plan`) met among the deck files, kept
    /// like contest files.
    pub papers: Vec<(String, String)>,
    /// The compiled deck cache's folder, if one is used.
    pub cache: Option<PathBuf>,
}

impl Loader {
    pub fn add_shipped(&mut self) {
        let fresh = self.decks.is_empty() && self.reserved.is_empty();
        if let Some(dir) = self.cache.as_deref().filter(|_| fresh)
            && let Some(decks) = cache::load_shipped(dir)
        {
            self.decks = decks;
            return;
        }
        let before = self.report.diagnostics.len();
        for file in SHIPPED {
            self.add_text(file.path, file.text, Origin::Shipped(file.path));
        }
        let clean = self.report.diagnostics.len() == before && self.decks.len() == SHIPPED.len();
        if let Some(dir) = self.cache.as_deref().filter(|_| fresh && clean) {
            cache::store_shipped(dir, &self.decks.iter().collect::<Vec<_>>());
        }
    }

    /// Parses the shipped decks only to reserve their ids.
    pub fn reserve_shipped(&mut self) {
        for file in SHIPPED {
            let src = SourceText::new(file.path, file.text);
            if let Some(deck) = parse_deck(&src, Origin::Shipped(file.path)).deck {
                self.reserved.push(deck);
            }
        }
    }

    /// Adds a file, or every `.toml` file below a folder.
    pub fn add_path(&mut self, path: &Path) {
        let mut files = Vec::new();
        let mut skipped = Vec::new();
        if let Err(d) = collect_toml_files(path, &mut files, &mut skipped, 0) {
            self.report.push(d);
        }
        for d in skipped {
            self.report.push(d);
        }
        for file in files {
            if let Err(d) = self.add_file(&file) {
                self.report.push(d);
            }
        }
    }

    /// One deck file: from the compiled cache when it matches the file,
    /// otherwise parsed (and cached when it parsed without a diagnostic).
    fn add_file(&mut self, file: &Path) -> Result<(), Diagnostic> {
        if let Some(dir) = self.cache.as_deref()
            && let Ok(meta) = std::fs::metadata(file)
            && meta.is_file()
            && let Some(decks) = cache::load_user_unread(dir, file, &meta)
            && !decks.iter().any(|d| self.clashes(d))
        {
            self.decks.extend(decks);
            return Ok(());
        }
        let display = file.display().to_string();
        let (bytes, meta) = read_file(file)?;
        let cached = self.cache.clone().map(|dir| {
            let stamp = cache::Stamp::of(&meta, &bytes);
            (dir, stamp)
        });
        if let Some((dir, stamp)) = &cached
            && let Some(decks) = cache::load_user(dir, file, *stamp)
            && !decks.iter().any(|d| self.clashes(d))
        {
            self.decks.extend(decks);
            return Ok(());
        }
        let text = decode(&display, bytes)?;
        let (decks_before, diagnostics_before) = (self.decks.len(), self.report.diagnostics.len());
        self.add_text(&display, &text, Origin::File(file.to_owned()));
        // Warnings inside the deck are for `dangke check`, which never
        // uses the cache; a file with errors has no deck to cache.
        let clean = self.report.diagnostics[diagnostics_before..]
            .iter()
            .all(|d| d.severity == Severity::Warning && d.position.is_some())
            && self.decks.len() == decks_before + 1;
        if let Some((dir, stamp)) = cached.filter(|_| clean) {
            cache::store_user(&dir, file, stamp, &[&self.decks[decks_before]]);
        }
        Ok(())
    }

    /// Whether a deck's id is already taken.
    fn clashes(&self, deck: &Deck) -> bool {
        self.decks
            .iter()
            .chain(&self.reserved)
            .any(|d| d.id == deck.id)
    }

    pub fn add_text(&mut self, display: &str, text: &str, origin: Origin) {
        // Contest and live quiz files are checked once every deck is known.
        if crate::contest::is_contest(text) || crate::live::is_live(text) {
            self.contests.push((display.to_owned(), text.to_owned()));
            return;
        }
        if crate::paper::is_plan(text) {
            self.papers.push((display.to_owned(), text.to_owned()));
            return;
        }
        let src = SourceText::new(display, text);
        let parsed = parse_deck(&src, origin);
        self.report.extend(parsed.diagnostics);
        let Some(deck) = parsed.deck else {
            return;
        };
        let clash = self
            .decks
            .iter()
            .chain(self.reserved.iter().filter(|r| !same_file(r, &deck, text)))
            .find(|d| d.id == deck.id);
        if let Some(first) = clash {
            let (line, col) = first.id_position;
            let message = format!(
                "卡组 id “{}”重复：{}:{line}:{col} 已使用这个 id",
                deck.id,
                first.origin.describe()
            );
            self.report.push(src.error_at(deck.id_position, message));
            return;
        }
        self.decks.push(deck);
    }

    /// Every deck id known to this loader, reserved ones included.
    pub fn deck_ids(&self) -> Vec<&str> {
        self.decks
            .iter()
            .chain(&self.reserved)
            .map(|d| d.id.as_str())
            .collect()
    }

    pub fn finish(self) -> Result<(Library, Report), Report> {
        if self.report.has_errors() {
            Err(self.report)
        } else {
            Ok((Library { decks: self.decks }, self.report))
        }
    }
}

/// Whether a user file is the very file a shipped deck was built from (an
/// author checking `decks/` in the source tree), not a clash.
fn same_file(shipped: &Deck, user: &Deck, user_text: &str) -> bool {
    let Origin::Shipped(rel) = shipped.origin else {
        return false;
    };
    let Some(file) = SHIPPED.iter().find(|f| f.path == rel) else {
        return false;
    };
    if file.text == user_text {
        return true;
    }
    match &user.origin {
        Origin::File(path) => {
            let a = std::fs::canonicalize(path);
            let b = std::fs::canonicalize(file.source_path);
            matches!((a, b), (Ok(a), Ok(b)) if a == b)
        }
        Origin::Shipped(_) => false,
    }
}

const MAX_DEPTH: usize = 32;

/// Lists `path` itself if it is a file, or every `.toml` file below it in
/// name order. Symlinked folders are not followed, so links cannot loop;
/// folders nested deeper than [`MAX_DEPTH`] are skipped with a warning.
fn collect_toml_files(
    path: &Path,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<Diagnostic>,
    depth: usize,
) -> Result<(), Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| io_diagnostic(path, &e))?;
    if !meta.is_dir() {
        out.push(path.to_owned());
        return Ok(());
    }
    if depth > MAX_DEPTH {
        skipped.push(Diagnostic::file_warning(
            &path.display().to_string(),
            format!(
                "目录嵌套超过 {MAX_DEPTH} 层，里面的卡组没有加载（请把卡组放在浅一些的目录里）"
            ),
        ));
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| io_diagnostic(path, &e))?;
    let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    children.sort();
    for child in children {
        let Ok(link_meta) = std::fs::symlink_metadata(&child) else {
            continue;
        };
        if link_meta.is_dir() {
            collect_toml_files(&child, out, skipped, depth + 1)?;
        } else if child.extension().is_some_and(|e| e == "toml") {
            out.push(child);
        }
    }
    Ok(())
}

fn io_diagnostic(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::file_error(
        &path.display().to_string(),
        format!("无法读取：{}", crate::diag::io_reason(err)),
    )
}

/// Reads a deck file as UTF-8 text (a leading BOM is dropped). A file that
/// is too large or not UTF-8 becomes a diagnostic naming the bad byte; a
/// FIFO, device or socket is skipped with a warning (opening a FIFO would
/// block, and a device such as `/dev/zero` never ends).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path)?;
    decode(&path.display().to_string(), bytes)
}

/// The bytes of a regular file of at most [`MAX_DECK_BYTES`]: never more
/// than that is read, whatever the file claims or becomes while read.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_file(path).map(|(bytes, _)| bytes)
}

/// [`read_bytes`] with the file's metadata, as read from the open file.
fn read_file(path: &Path) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
    use std::io::Read as _;
    let display = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_diagnostic(path, &e))?;
    if meta.is_dir() {
        return Err(Diagnostic::file_error(
            &display,
            "这是一个目录，不是文件".to_owned(),
        ));
    }
    let not_regular = || {
        Diagnostic::file_warning(
            &display,
            "不是普通文件（命名管道、设备或套接字），已跳过".to_owned(),
        )
    };
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_large = |len: u64| {
        Diagnostic::file_error(
            &display,
            format!(
                "文件过大（{:.1} MB），卡组文件最大 {} MB",
                len as f64 / 1_048_576.0,
                MAX_DECK_BYTES / 1_048_576
            ),
        )
    };
    if meta.len() > MAX_DECK_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_diagnostic(path, &e))?;
    // The path may have been replaced since it was looked at.
    let meta = file.metadata().map_err(|e| io_diagnostic(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_DECK_BYTES) as usize + 1);
    file.take(MAX_DECK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_diagnostic(path, &e))?;
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

/// Decodes file bytes as UTF-8, or says where they stop being UTF-8.
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            // The valid prefix is UTF-8 by definition; lossy conversion only
            // affects what follows, which is never shown.
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let src = SourceText::new(display, &prefix);
            let (line, col) = src.position(valid);
            let mut d = Diagnostic::file_error(
                display,
                format!(
                    "文件不是 UTF-8 编码（第 {line} 行第 {col} 列的字节 0x{:02X} 无效）；请用 UTF-8 保存（GBK 等编码不支持）",
                    bytes[valid]
                ),
            );
            d.position = Some((line, col));
            Err(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_points_at_the_first_bad_byte() {
        let mut bytes = "[deck]\nid = \"党".as_bytes().to_vec();
        bytes.extend([0xB5, 0xB3]); // "党" in GBK
        let d = decode("x.toml", bytes).unwrap_err();
        assert_eq!(d.position, Some((2, 8)));
        assert!(d.message.contains("UTF-8"), "{}", d.message);
        assert!(d.message.contains("0xB5"), "{}", d.message);
    }

    #[test]
    fn decode_drops_a_bom() {
        let text = decode("x.toml", b"\xEF\xBB\xBFa = 1".to_vec()).unwrap();
        assert_eq!(text, "a = 1");
    }

    #[test]
    fn shipped_decks_load_without_errors() {
        let (library, report) = Library::load(&[]).unwrap_or_else(|r| panic!("{r}"));
        assert_eq!(library.decks.len(), SHIPPED.len());
        assert_eq!(report.error_count(), 0);
    }

    /// Off Unix a deck file has no change sign and is always read.
    #[cfg(unix)]
    mod unread {
        use super::*;

        const DECK: &str = "[deck]\nid = \"mine\"\ntitle = \"我的笔记\"\n\n[[card]]\nid = \"a\"\nkind = \"judge\"\nprompt = \"群众路线是党的生命线。\"\nanswer = true\n";

        fn set_mtime(path: &Path, ago: std::time::Duration) {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(std::time::SystemTime::now() - ago)
                .unwrap();
        }

        fn titles(dir: &Path, cache: &Path) -> Vec<String> {
            let (library, _) = Library::load_cached(&[dir.to_owned()], Some(cache)).unwrap();
            library
                .decks
                .iter()
                .filter(|d| d.id == "mine")
                .map(|d| d.title.clone())
                .collect()
        }

        #[test]
        fn a_cached_deck_is_used_unread_only_when_its_file_is_settled() {
            let tmp = tempfile::tempdir().unwrap();
            let (dir, cache) = (tmp.path().join("d"), tmp.path().join("cache"));
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join("mine.toml");
            std::fs::write(&file, DECK).unwrap();
            let unread =
                || cache::load_user_unread(&cache, &file, &std::fs::metadata(&file).unwrap());
            // Just written: a tick of a coarse clock could hide an edit.
            assert_eq!(titles(&dir, &cache), ["我的笔记"]);
            assert!(unread().is_none(), "modified as the cache was written");
            // Settled (an hour old): the next start stamps the cache again,
            // and the one after leaves the file unread.
            set_mtime(&file, std::time::Duration::from_secs(3600));
            assert_eq!(titles(&dir, &cache), ["我的笔记"]);
            let decks = unread().expect("the cache stamped with the settled file");
            assert_eq!(decks[0].title, "我的笔记");
            // Edited to the same size with the old mtime put back: the change
            // sign (inode, ctime) still tells.
            let old = std::fs::metadata(&file).unwrap().modified().unwrap();
            std::fs::write(&file, DECK.replace("我的笔记", "你的笔记")).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_modified(old)
                .unwrap();
            assert!(unread().is_none(), "the file changed under its old mtime");
            assert_eq!(titles(&dir, &cache), ["你的笔记"]);
        }
    }
}
