//! A small PNG encoder (8-bit RGB, one IDAT) and the header reader the tests use.
//! Written here rather than taken from `image`/`png`, whose dependencies would turn on
//! features of crates polars shares and so rebuild polars (see docs/performance.md).
//! The output carries the physical resolution (`pHYs`), so Word and LibreOffice place
//! the picture at its intended size, and the alt text in `tEXt` chunks; no time stamp.
use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Latin-1 only (the `tEXt` rule): other characters become `?`.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
        .collect()
}

/// Encodes a packed RGB buffer of `width x height` pixels.
pub fn encode(rgb: &[u8], width: u32, height: u32, dpi: f64, texts: &[(&str, &str)]) -> Vec<u8> {
    let row = width as usize * 3;
    assert_eq!(rgb.len(), row * height as usize, "RGB buffer size");
    let mut out = Vec::with_capacity(rgb.len() / 8);
    out.extend_from_slice(&SIGNATURE);
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let per_metre = (dpi / 0.0254).round() as u32;
    let mut phys = Vec::with_capacity(9);
    phys.extend_from_slice(&per_metre.to_be_bytes());
    phys.extend_from_slice(&per_metre.to_be_bytes());
    phys.push(1);
    chunk(&mut out, b"pHYs", &phys);
    for (key, value) in texts {
        let mut data = latin1(key);
        data.push(0);
        data.extend(latin1(value));
        chunk(&mut out, b"tEXt", &data);
    }
    // Filter "Sub" on every row: charts are flat colour, so differences compress well.
    let mut filtered = Vec::with_capacity((row + 1) * height as usize);
    for line in rgb.chunks_exact(row) {
        filtered.push(1);
        for (i, &b) in line.iter().enumerate() {
            let left = if i >= 3 { line[i - 3] } else { 0 };
            filtered.push(b.wrapping_sub(left));
        }
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(&filtered).expect("writing to memory");
    chunk(&mut out, b"IDAT", &z.finish().expect("writing to memory"));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// What a PNG header says: size in pixels and resolution in dots per inch.
#[derive(Debug, Clone, PartialEq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub dpi: Option<f64>,
    pub texts: Vec<(String, String)>,
}

/// Reads the chunks of a PNG, checking every CRC. `None` if it is not a valid PNG.
pub fn info(bytes: &[u8]) -> Option<PngInfo> {
    if bytes.len() < 8 || bytes[..8] != SIGNATURE {
        return None;
    }
    let mut pos = 8;
    let mut result = PngInfo {
        width: 0,
        height: 0,
        dpi: None,
        texts: Vec::new(),
    };
    let mut seen_end = false;
    while pos + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().ok()?) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = bytes.get(pos + 8..pos + 8 + len)?;
        let crc = u32::from_be_bytes(bytes.get(pos + 8 + len..pos + 12 + len)?.try_into().ok()?);
        let mut h = crc32fast::Hasher::new();
        h.update(kind);
        h.update(data);
        if h.finalize() != crc {
            return None;
        }
        match kind {
            b"IHDR" => {
                result.width = u32::from_be_bytes(data[0..4].try_into().ok()?);
                result.height = u32::from_be_bytes(data[4..8].try_into().ok()?);
            }
            b"pHYs" if data.len() == 9 && data[8] == 1 => {
                let per_metre = u32::from_be_bytes(data[0..4].try_into().ok()?);
                result.dpi = Some(per_metre as f64 * 0.0254);
            }
            b"tEXt" => {
                let split = data.iter().position(|&b| b == 0)?;
                let text = |b: &[u8]| b.iter().map(|&c| c as char).collect::<String>();
                result
                    .texts
                    .push((text(&data[..split]), text(&data[split + 1..])));
            }
            b"IEND" => {
                seen_end = true;
                break;
            }
            _ => {}
        }
        pos += 12 + len;
    }
    seen_end.then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_header_and_pixels() {
        let (w, h) = (5u32, 3u32);
        let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 17 % 256) as u8).collect();
        let png = encode(&rgb, w, h, 300.0, &[("Title", "A chart")]);
        let got = info(&png).expect("valid png");
        assert_eq!((got.width, got.height), (5, 3));
        assert!((got.dpi.unwrap() - 300.0).abs() < 0.01);
        assert_eq!(
            got.texts,
            vec![("Title".to_string(), "A chart".to_string())]
        );
        // Undo the filter to get the pixels back.
        let idat_start = png.windows(4).position(|c| c == b"IDAT").unwrap();
        let len = u32::from_be_bytes(png[idat_start - 4..idat_start].try_into().unwrap());
        let data = &png[idat_start + 4..idat_start + 4 + len as usize];
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut raw).unwrap();
        let mut back = Vec::new();
        for line in raw.chunks_exact(w as usize * 3 + 1) {
            assert_eq!(line[0], 1);
            let mut out: Vec<u8> = Vec::new();
            for (i, b) in line[1..].iter().enumerate() {
                let left = if i >= 3 { out[i - 3] } else { 0 };
                out.push(b.wrapping_add(left));
            }
            back.extend(out);
        }
        assert_eq!(back, rgb);
    }

    #[test]
    fn corrupt_files_are_rejected() {
        let mut png = encode(&[0; 12], 2, 2, 96.0, &[]);
        assert!(info(&png).is_some());
        let last = png.len() - 20;
        png[last] ^= 0xFF;
        assert!(info(&png).is_none());
        assert!(info(b"GIF89a").is_none());
    }
}
