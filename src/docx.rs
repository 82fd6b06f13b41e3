//! A Word document (Office Open XML, `.docx`) written directly: headings, paragraphs,
//! tables with a repeated header row, and PNG pictures with alternative text. Written
//! here rather than with `docx-rs` because that crate gives every picture the same
//! drawing id and no alternative text, which screen readers and the public sector
//! accessibility regulations need; the parts below are the few a board paper uses
//! (ECMA-376 Part 1, sections 17 and 20). The archive is deterministic: fixed entry order
//! and timestamps, and the document's dates are the extract's as-at date, never the clock.
use crate::format::escape_xml;
use std::io::Write;

/// English Metric Units per millimetre (ECMA-376 Part 1, 20.1.2.1: 360,000 per cm).
const EMU_PER_MM: f64 = 36_000.0;
/// Twentieths of a point per millimetre (1 inch = 25.4 mm = 1,440 twips).
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// A4 with 20 mm margins: the width text and pictures may take.
pub const TEXT_WIDTH_MM: f64 = 170.0;
const PAGE_W_MM: f64 = 210.0;
const PAGE_H_MM: f64 = 297.0;
const MARGIN_MM: f64 = 20.0;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

/// A picture to place: PNG bytes, its size on the page, and what it shows in words.
pub struct Picture<'a> {
    pub png: &'a [u8],
    pub width_mm: f64,
    pub height_mm: f64,
    pub alt: &'a str,
}

/// A table cell: text, optionally after a small picture (an icon), right-aligned for
/// numbers, with an optional fill colour (hex, no `#`).
#[derive(Default)]
pub struct TableCell<'a> {
    pub text: String,
    pub picture: Option<Picture<'a>>,
    pub right: bool,
    pub fill: Option<&'static str>,
    pub bold: bool,
}

impl TableCell<'_> {
    pub fn text(text: impl Into<String>) -> Self {
        TableCell {
            text: text.into(),
            ..TableCell::default()
        }
    }
}

pub struct Docx {
    title: String,
    /// `YYYY-MM-DD`: the document's created and modified dates.
    date: String,
    /// The protective marking in every page's header.
    marking: String,
    body: String,
    images: Vec<Vec<u8>>,
    /// Every drawing needs its own id (ECMA-376 20.4.2.5).
    drawings: u32,
}

impl Docx {
    pub fn new(title: &str, date: &str, marking: &str) -> Docx {
        Docx {
            title: title.to_string(),
            date: date.to_string(),
            marking: marking.to_string(),
            body: String::new(),
            images: Vec::new(),
            drawings: 0,
        }
    }

    fn runs(text: &str, bold: bool) -> String {
        let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        format!(
            "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape_xml(text)
        )
    }

    fn styled(&mut self, style: &str, inner: &str) {
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{inner}</w:p>"
        ));
    }

    pub fn title(&mut self, text: &str) {
        self.styled("Title", &Self::runs(text, false));
    }

    /// Heading 1 to 3.
    pub fn heading(&mut self, level: u8, text: &str) {
        let style = format!("Heading{}", level.clamp(1, 3));
        self.styled(&style, &Self::runs(text, false));
    }

    pub fn paragraph(&mut self, text: &str) {
        self.styled("Normal", &Self::runs(text, false));
    }

    /// A paragraph whose first words are bold (`lead`), then plain text.
    pub fn lead_paragraph(&mut self, lead: &str, text: &str) {
        let inner = format!("{}{}", Self::runs(lead, true), Self::runs(text, false));
        self.styled("Normal", &inner);
    }

    pub fn bullet(&mut self, text: &str) {
        self.styled(
            "ListBullet",
            &Self::runs(&format!("\u{2022}\t{text}"), false),
        );
    }

    pub fn caption(&mut self, text: &str) {
        self.styled("Caption", &Self::runs(text, false));
    }

    pub fn page_break(&mut self) {
        self.body
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    fn drawing(&mut self, p: &Picture) -> String {
        self.images.push(p.png.to_vec());
        self.drawings += 1;
        let (id, rel) = (self.drawings, self.images.len());
        let (cx, cy) = (
            (p.width_mm * EMU_PER_MM).round() as i64,
            (p.height_mm * EMU_PER_MM).round() as i64,
        );
        let alt = escape_xml(p.alt);
        format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{id}\" name=\"Picture {id}\" descr=\"{alt}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"image{rel}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdImage{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
    }

    /// A picture in a paragraph of its own, followed by its caption when there is one.
    pub fn picture(&mut self, p: &Picture, caption: Option<&str>) {
        let run = self.drawing(p);
        self.styled("Figure", &run);
        if let Some(c) = caption {
            self.caption(c);
        }
    }

    /// A table the width of the text: `widths` are relative column widths; the header
    /// row repeats on every page.
    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<TableCell>>, widths: &[f64]) {
        let total: f64 = widths.iter().sum();
        let twips: Vec<i64> = widths
            .iter()
            .map(|w| (w / total * TEXT_WIDTH_MM * TWIPS_PER_MM).round() as i64)
            .collect();
        let mut x = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"SoteriaTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        );
        for w in &twips {
            x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        x.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
        for (h, w) in header.iter().zip(&twips) {
            x.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"1F3864\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableHeader\"/></w:pPr>{}</w:p></w:tc>",
                Self::runs(h, true)
            ));
        }
        x.push_str("</w:tr>");
        for row in rows {
            x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (cell, w) in row.into_iter().zip(&twips) {
                let fill = cell.fill.map_or(String::new(), |f| {
                    format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>")
                });
                let jc = if cell.right {
                    "<w:jc w:val=\"right\"/>"
                } else {
                    ""
                };
                let picture = match &cell.picture {
                    Some(p) => {
                        let mut d = self.drawing(p);
                        d.push_str("<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>");
                        d
                    }
                    None => String::new(),
                };
                x.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{fill}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{jc}</w:pPr>{picture}{}</w:p></w:tc>",
                    Self::runs(&cell.text, cell.bold)
                ));
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl>");
        self.body.push_str(&x);
        // Word needs a paragraph between two tables, and it spaces the next text.
        self.body
            .push_str("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr></w:p>");
    }

    fn document_xml(&self) -> String {
        let twips = |mm: f64| (mm * TWIPS_PER_MM).round() as i64;
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{}\" w:h=\"{}\"/><w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
            self.body,
            twips(PAGE_W_MM),
            twips(PAGE_H_MM),
            m = twips(MARGIN_MM),
        )
    }

    fn parts(&self) -> Vec<(String, Vec<u8>)> {
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
        );
        for i in 1..=self.images.len() {
            rels.push_str(&format!(
                "<Relationship Id=\"rIdImage{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{i}.png\"/>"
            ));
        }
        rels.push_str("</Relationships>");
        let stamp = format!("{}T00:00:00Z", self.date);
        let title = escape_xml(&self.title);
        let mut parts = vec![
            ("[Content_Types].xml".to_string(), CONTENT_TYPES.as_bytes().to_vec()),
            ("_rels/.rels".to_string(), PACKAGE_RELS.as_bytes().to_vec()),
            (
                "docProps/core.xml".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{title}</dc:title><dc:creator>Soteria</dc:creator><cp:lastModifiedBy>Soteria</cp:lastModifiedBy><dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified></cp:coreProperties>"
                )
                .into_bytes(),
            ),
            (
                "docProps/app.xml".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Soteria {}</Application></Properties>",
                    env!("CARGO_PKG_VERSION")
                )
                .into_bytes(),
            ),
            ("word/document.xml".to_string(), self.document_xml().into_bytes()),
            ("word/_rels/document.xml.rels".to_string(), rels.into_bytes()),
            ("word/styles.xml".to_string(), STYLES.as_bytes().to_vec()),
            ("word/settings.xml".to_string(), SETTINGS.as_bytes().to_vec()),
            (
                "word/header1.xml".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>{}</w:p></w:hdr>",
                    Self::runs(&self.marking, true)
                )
                .into_bytes(),
            ),
            (
                "word/footer1.xml".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}<w:r><w:t xml:space=\"preserve\"> | page </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>",
                    Self::runs(&self.marking, false)
                )
                .into_bytes(),
            ),
        ];
        for (i, png) in self.images.iter().enumerate() {
            parts.push((format!("word/media/image{}.png", i + 1), png.clone()));
        }
        parts
    }

    /// The document's bytes: the same content gives the same bytes.
    pub fn finish(self) -> std::io::Result<Vec<u8>> {
        use zip::write::SimpleFileOptions;
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in self.parts() {
            // PNG is compressed already.
            let options = if name.ends_with(".png") {
                options.compression_method(zip::CompressionMethod::Stored)
            } else {
                options
            };
            zip.start_file(name, options)
                .map_err(std::io::Error::other)?;
            zip.write_all(&bytes)?;
        }
        Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
    }
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"284\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

/// Arial throughout (the house style of most force papers), 11 pt text, 8 pt tables.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\" w:eastAsia=\"Arial\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:before=\"1200\" w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3864\"/><w:sz w:val=\"48\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3864\"/><w:sz w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3864\"/><w:sz w:val=\"26\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"22\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"284\"/></w:tabs><w:ind w:left=\"284\" w:hanging=\"284\"/><w:spacing w:after=\"60\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"404040\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableHeader\"><w:name w:val=\"Table Header\"/><w:basedOn w:val=\"TableText\"/><w:rPr><w:b/><w:color w:val=\"FFFFFF\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"16\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"SoteriaTable\"><w:name w:val=\"Soteria Table\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"8EAADB\"/></w:tblBorders><w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_document_gives_the_same_bytes_and_every_picture_its_own_id() {
        // The writer takes the bytes as they are.
        let png = b"\x89PNG not a real picture".to_vec();
        let make = || {
            let mut d = Docx::new("A & B", "2024-12-31", "OFFICIAL");
            d.heading(1, "Results <1>");
            for alt in ["first", "second"] {
                d.picture(
                    &Picture {
                        png: &png,
                        width_mm: 10.0,
                        height_mm: 10.0,
                        alt,
                    },
                    Some(alt),
                );
            }
            d.table(
                &["a", "b"],
                vec![vec![TableCell::text("1"), TableCell::text("x")]],
                &[1.0, 2.0],
            );
            d.finish().unwrap()
        };
        let (one, two) = (make(), make());
        assert_eq!(one, two);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("Results &lt;1&gt;"));
        assert!(doc.contains("<wp:docPr id=\"1\" name=\"Picture 1\" descr=\"first\"/>"));
        assert!(doc.contains("<wp:docPr id=\"2\" name=\"Picture 2\" descr=\"second\"/>"));
        assert!(zip.by_name("word/media/image2.png").is_ok());
    }
}
