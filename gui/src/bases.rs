//! The files an open scenario `extends` (an imported NetBox file under the architect's
//! services): read from the bundled examples for an example, from disk next to the file
//! for a file (desktop), and not at all for dropped or pasted text, which comes without
//! its folder. The chain itself (order, loops, the error's place) is
//! [`sim_core::scenario::resolve_bases`]; this module only reads.

use sim_core::scenario::{ChainError, LayerFile};

use crate::document::Source;

/// The bases of `text` opened from `source`, base first, without the top file; empty
/// when it extends nothing.
pub fn bases_of(source: &Source, text: &str) -> Result<Vec<LayerFile>, Box<ChainError>> {
    if sim_core::scenario::extends_of(text).is_none() {
        return Ok(Vec::new());
    }
    let top = LayerFile { name: top_name(source), key: top_name(source), text: text.to_string() };
    let mut layers = match source {
        Source::Example(_) => sim_core::scenario::resolve_bases(top, |naming, base| {
            let file = relative(&naming.name, base);
            crate::examples::find(&file)
                .map(|e| LayerFile { name: file.clone(), key: file.clone(), text: e.text.to_string() })
                .ok_or_else(|| format!("{file}: no bundled example has that path"))
        })?,
        #[cfg(not(target_arch = "wasm32"))]
        Source::File(_) => sim_core::scenario::resolve_bases(top, |naming, base| {
            let path = std::path::Path::new(&naming.name).parent().unwrap_or(std::path::Path::new("")).join(base);
            let key = path.canonicalize().unwrap_or_else(|_| path.clone()).display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(LayerFile { name: path.display().to_string(), key, text })
        })?,
        _ => sim_core::scenario::resolve_bases(top, |_, base| {
            Err(format!(
                "{base}: a dropped or pasted design comes without its folder; open the file from disk in the \
                 desktop app (File → Open, or spofsim-gui FILE), or check it with `spofsim check FILE`"
            ))
        })?,
    };
    layers.pop();
    Ok(layers)
}

/// A scenario loaded with its bases.
pub struct Layered {
    /// Base first, without the open text.
    pub bases: Vec<LayerFile>,
    /// Where each layer's spans start (the open text last).
    pub offsets: Vec<u32>,
    pub loaded: sim_core::Loaded,
}

/// Loads `text` opened from `source` on top of the bases it `extends`.
pub fn load(source: &Source, text: &str) -> Result<Layered, Box<ChainError>> {
    let bases = bases_of(source, text)?;
    let mut texts: Vec<&str> = bases.iter().map(|b| b.text.as_str()).collect();
    texts.push(text);
    let offsets = sim_core::scenario::layer_offsets(&texts);
    let loaded = if bases.is_empty() { sim_core::load(text) } else { sim_core::load_layers(&texts) };
    Ok(Layered { bases, offsets, loaded })
}

fn top_name(source: &Source) -> String {
    match source {
        Source::Example(f) => f.clone(),
        Source::File(p) => p.display().to_string(),
        Source::Unsaved(n) => n.clone(),
    }
}

/// `base` relative to the folder of `file` ("netbox/campus.jsonc", "netbox-demo.jsonc" →
/// "netbox/netbox-demo.jsonc"), with `.` and `..` resolved.
fn relative(file: &str, base: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for part in base.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_reads_its_base_from_the_bundle() {
        let campus = crate::examples::find("netbox/campus.jsonc").unwrap();
        let bases = bases_of(&Source::Example(campus.file.into()), campus.text).unwrap();
        assert_eq!(bases.len(), 1);
        assert_eq!(bases[0].name, "netbox/netbox-demo.jsonc");
        assert_eq!(relative("a/b/c.jsonc", "../d.jsonc"), "a/d.jsonc");
        assert_eq!(relative("c.jsonc", "./d.jsonc"), "d.jsonc");
    }

    #[test]
    fn dropped_text_cannot_read_its_base_and_says_where_to_open_it() {
        let text = "{ \"extends\": \"dc.jsonc\" }";
        let error = bases_of(&Source::Unsaved("mine.jsonc".into()), text).unwrap_err();
        assert!(
            error.diagnostic.message.contains("dc.jsonc: a dropped or pasted design"),
            "{}",
            error.diagnostic.message
        );
        assert_eq!(error.file, "mine.jsonc");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_file_reads_its_bases_from_disk_and_a_loop_is_an_error() {
        let dir = std::env::temp_dir().join(format!("spofsim-gui-bases-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.jsonc"), "{ \"extends\": \"b.jsonc\" }").unwrap();
        std::fs::write(dir.join("b.jsonc"), "{ \"extends\": \"a.jsonc\" }").unwrap();
        std::fs::write(dir.join("c.jsonc"), "{ \"components\": {} }").unwrap();
        let top = dir.join("top.jsonc");
        let bases = bases_of(&Source::File(top.clone()), "{ \"extends\": \"c.jsonc\" }").unwrap();
        assert_eq!(bases.len(), 1);
        assert!(bases[0].name.ends_with("c.jsonc"));
        let error = bases_of(&Source::File(dir.join("a.jsonc")), "{ \"extends\": \"b.jsonc\" }").unwrap_err();
        assert!(error.diagnostic.message.contains("goes round in a circle"), "{}", error.diagnostic.message);
        let missing = bases_of(&Source::File(top), "{ \"extends\": \"none.jsonc\" }").unwrap_err();
        assert!(missing.diagnostic.message.contains("cannot read the base file"), "{}", missing.diagnostic.message);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
