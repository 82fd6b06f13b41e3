//! `kpis.xlsx`: the report's tables as sheets, with frozen headers, number formats for
//! rates and days, and filters. The document's dates are the as-at date, so the same
//! input gives the same bytes.
use super::table::{Cell, Kind, Table};
use crate::charts::icons::{self, Icon};
use crate::error::{Result, SoteriaError};
use crate::util::chrono_lite::Date;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Image, Workbook, XlsxError,
};

fn err(e: XlsxError) -> SoteriaError {
    SoteriaError::Other(format!("writing the Excel workbook: {e}"))
}

struct Formats {
    header: Format,
    count: Format,
    percent: Format,
    days: Format,
    decimal: Format,
    p: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0x12436D))
                .set_font_color(Color::White)
                .set_border_bottom(FormatBorder::Thin),
            count: Format::new().set_num_format("#,##0"),
            percent: Format::new().set_num_format("0.0%"),
            days: Format::new().set_num_format("0.0"),
            decimal: Format::new().set_num_format("0.00"),
            p: Format::new().set_num_format("0.000"),
            text: Format::new(),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Count => &self.count,
            Kind::Percent => &self.percent,
            Kind::Days => &self.days,
            Kind::Decimal => &self.decimal,
            Kind::P => &self.p,
        }
    }
}

/// Writes one table to a sheet: header row frozen and filtered, columns sized to fit.
fn sheet(
    workbook: &mut Workbook,
    name: &str,
    table: &Table,
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(name)?;
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.len().max(6)).collect();
    for (c, name) in table.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &formats.header)?;
    }
    let is_icon: Vec<bool> = table.columns.iter().map(|c| c.ends_with("_icon")).collect();
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            // An icon column holds the icon's picture, named in its alt text.
            if is_icon[c] {
                if let Some(image) = icon_image(&cell.display())? {
                    ws.insert_image_fit_to_cell(r, col, &image, true)?;
                }
                continue;
            }
            match cell {
                Cell::Empty => {}
                Cell::Text(s) | Cell::Suppressed(s) => {
                    ws.write_string_with_format(r, col, s, &formats.text)?;
                    widths[c] = widths[c].max(s.chars().count().min(60));
                }
                Cell::Num(v, kind) => {
                    ws.write_number_with_format(r, col, *v, formats.of(*kind))?;
                    widths[c] = widths[c].max(cell.display().len());
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let width = if is_icon[c] {
            4.0
        } else {
            (*w as f64 + 2.0).min(62.0)
        };
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !table.columns.is_empty() {
        ws.autofilter(
            0,
            0,
            table.rows.len().max(1) as u32,
            table.columns.len() as u16 - 1,
        )?;
    }
    Ok(())
}

/// The picture of an icon by its stem, for a cell.
fn icon_image(stem: &str) -> std::result::Result<Option<Image>, XlsxError> {
    let Some(icon) = Icon::from_stem(stem) else {
        return Ok(None);
    };
    let png = icons::png(icon, 40, 144.0)
        .map_err(|e| XlsxError::ParameterError(format!("drawing an icon: {e}")))?;
    Ok(Some(
        Image::new_from_buffer(&png)?.set_alt_text(icon.name()),
    ))
}

/// The workbook's bytes: one sheet per (name, table), in order.
pub fn workbook(sheets: &[(&str, &Table)], title: &str, as_at: Date) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    let (y, m, d) = (as_at.year, as_at.month, as_at.day);
    let created = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("Soteria")
            .set_creation_datetime(&created),
    );
    for (name, table) in sheets {
        sheet(&mut wb, name, table, &formats).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
