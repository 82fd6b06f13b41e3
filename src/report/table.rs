//! One table model for every output of the report (CSV, Excel, HTML, Markdown), so that
//! disclosure control is applied once and every format shows the same cells.
use crate::error::Result;
use crate::format::Csv;
use crate::util::Month;
use polars::prelude::*;

/// How a number is written and formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers.
    Count,
    /// A proportion, shown as a percentage.
    Percent,
    /// Days (medians).
    Days,
    /// A number with two decimals (ratios, rates per 1,000).
    Decimal,
    /// A p-value.
    P,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64, Kind),
    /// Withheld by disclosure control; the text is what is shown (`<5`, `[c]`).
    Suppressed(String),
}

impl Cell {
    pub fn num(v: Option<f64>, kind: Kind) -> Cell {
        match v {
            Some(v) if v.is_finite() => Cell::Num(v, kind),
            _ => Cell::Empty,
        }
    }

    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Num(v, _) => Some(*v),
            _ => None,
        }
    }

    /// For reading: percentages to one decimal, counts with separators.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Suppressed(s) => s.clone(),
            Cell::Num(v, kind) => format_number(*v, *kind),
        }
    }

    /// For CSV: numbers at full precision, as the flight-deck table has them.
    pub fn raw(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Suppressed(s) => s.clone(),
            Cell::Num(v, _) => format!("{v}"),
        }
    }
}

pub fn format_number(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Count => crate::format::thousands(v.round() as i64),
        Kind::Percent => format!("{:.1}%", v * 100.0),
        Kind::Days => {
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        }
        Kind::Decimal => format!("{v:.2}"),
        Kind::P => {
            if v < 0.001 {
                "<0.001".into()
            } else {
                format!("{v:.3}")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A frame as cells: string columns as text, numeric columns as numbers of the kind
    /// `kind` gives for the row and column.
    pub fn from_frame(df: &DataFrame, kind: impl Fn(usize, &str) -> Kind) -> Result<Table> {
        let columns: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let mut rows = vec![Vec::with_capacity(columns.len()); df.height()];
        for name in &columns {
            let c = df.column(name)?;
            if c.dtype().is_primitive_numeric() {
                let v = c.cast(&DataType::Float64)?;
                for (i, x) in v.f64()?.iter().enumerate() {
                    rows[i].push(Cell::num(x, kind(i, name)));
                }
            } else {
                let v = c.cast(&DataType::String)?;
                for (i, x) in v.str()?.iter().enumerate() {
                    rows[i].push(x.map_or(Cell::Empty, Cell::text));
                }
            }
        }
        Ok(Table { columns, rows })
    }

    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&self.columns);
        for row in &self.rows {
            csv.row(row.iter().map(Cell::raw));
        }
        csv.finish()
    }

    pub fn count_suppressed(&self) -> usize {
        self.rows
            .iter()
            .flatten()
            .filter(|c| matches!(c, Cell::Suppressed(_)))
            .count()
    }
}

/// `2024-09` as a month index, for sorting and lookups.
pub fn month_index(s: &str) -> Option<i32> {
    Month::parse(s).map(|m| m.index())
}
