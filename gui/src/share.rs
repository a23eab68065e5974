//! Share links: the scenario text in the URL fragment (`#s=`), compressed with raw
//! DEFLATE and encoded as URL-safe base64, so a design can be pasted to a colleague
//! with no server. Links are untrusted input: their size is limited before and after
//! decompression, and the text is then validated like any scenario.

use base64::Engine;

/// The fragment key.
pub const PREFIX: &str = "s=";
/// Longest accepted fragment (characters); browsers and chat tools cut longer URLs.
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// Largest accepted scenario after decompression (a zip bomb stops here).
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// `s=…` for `text`.
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// The scenario text of a fragment (with or without the leading `#`), or why not.
pub fn decode(fragment: &str) -> Result<String, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let payload = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(PREFIX))
        .ok_or("the link has no design in it (expected #s=…)")?;
    if payload.len() > MAX_LINK_CHARS {
        return Err(format!("the link is {} characters long; at most {MAX_LINK_CHARS} are accepted", payload.len()));
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| format!("the link is damaged (not base64: {e}); copy it again in full"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            format!("the design in the link is larger than {MAX_TEXT_BYTES} bytes")
        } else {
            "the link is damaged (not compressed data); copy it again in full".to_string()
        }
    })?;
    String::from_utf8(bytes).map_err(|_| "the link's design is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_survives_a_round_trip_and_fits_a_url() {
        for e in crate::examples::EXAMPLES {
            let link = encode(e.text);
            assert!(link.len() < MAX_LINK_CHARS, "{}: {}", e.file, link.len());
            assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
            assert_eq!(decode(&format!("#{link}")).unwrap(), e.text);
        }
    }

    #[test]
    fn hostile_links_are_refused_with_a_reason() {
        assert!(decode("#x=1").unwrap_err().contains("no design"));
        assert!(decode("#s=!!!").unwrap_err().contains("not base64"));
        assert!(decode("#s=AAAA").unwrap_err().contains("damaged"));
        let long = format!("#s={}", "A".repeat(MAX_LINK_CHARS + 1));
        assert!(decode(&long).unwrap_err().contains("characters long"));
        // A small link that inflates past the limit (a "zip bomb").
        let bomb = encode(&" ".repeat(MAX_TEXT_BYTES + 10));
        assert!(bomb.len() < 10_000);
        assert!(decode(&bomb).unwrap_err().contains("larger than"));
        let not_utf8 = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6));
        assert!(decode(&format!("s={not_utf8}")).unwrap_err().contains("UTF-8"));
    }
}
