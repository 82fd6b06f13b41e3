//! Text for people and for other tools: escaping, numbers and months in words, and the
//! one CSV and one Markdown table writer every output uses. A leaf: it names no other
//! layer but `util`.

/// Text for HTML and XML (SVG, the report, the gallery page): `&`, `<`, `>` and `"`.
pub fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV text built row by row (RFC 4180 quoting, `\n` line ends), for outputs that are not
/// a data frame.
pub struct Csv {
    text: String,
}

impl Csv {
    pub fn new<S: AsRef<str>>(header: impl IntoIterator<Item = S>) -> Csv {
        let mut csv = Csv {
            text: String::new(),
        };
        csv.row(header);
        csv
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        let line: Vec<String> = fields.into_iter().map(|f| csv_field(f.as_ref())).collect();
        self.text.push_str(&line.join(","));
        self.text.push('\n');
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// A Markdown table cell: a `|` would end the cell and a line break the row.
pub fn markdown_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown (GitHub) table, every cell escaped.
pub fn markdown_table<S: AsRef<str>>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<S>>,
) -> String {
    let mut out = format!(
        "| {} |\n|{}|\n",
        header
            .iter()
            .map(|h| markdown_cell(h))
            .collect::<Vec<_>>()
            .join(" | "),
        vec!["---"; header.len()].join("|")
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| markdown_cell(c.as_ref())).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// How values of a chart are written on axes and labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueFormat {
    /// A proportion shown as a percentage.
    Percent,
    /// Whole numbers with thousands separators.
    Count,
    /// Days.
    Days,
    /// A number with this many decimals.
    Decimal(usize),
}

impl ValueFormat {
    /// A label with the precision a reader needs.
    pub fn label(self, v: f64) -> String {
        match self {
            ValueFormat::Percent => format!("{:.1}%", v * 100.0),
            ValueFormat::Count => thousands(v.round() as i64),
            ValueFormat::Days => format!("{} days", trim(v, 1)),
            ValueFormat::Decimal(d) => format!("{v:.d$}"),
        }
    }

    /// An axis tick: as short as the tick step allows.
    pub fn tick(self, v: f64, step: f64) -> String {
        match self {
            ValueFormat::Percent => {
                let decimals = decimals_for(step * 100.0);
                format!("{:.*}%", decimals, v * 100.0)
            }
            ValueFormat::Count => {
                if step < 1.0 {
                    format!("{:.*}", decimals_for(step), v)
                } else {
                    thousands(v.round() as i64)
                }
            }
            ValueFormat::Days | ValueFormat::Decimal(_) => format!("{:.*}", decimals_for(step), v),
        }
    }

    /// The value axis title: what the numbers are measured in.
    pub fn axis_title(self) -> &'static str {
        match self {
            ValueFormat::Percent => "Per cent",
            ValueFormat::Count => "Number",
            ValueFormat::Days => "Days",
            ValueFormat::Decimal(_) => "Ratio",
        }
    }
}

fn decimals_for(step: f64) -> usize {
    if step <= 0.0 {
        return 0;
    }
    let mut d = 0;
    let mut s = step;
    while (s - s.round()).abs() > 1e-9 && d < 6 {
        s *= 10.0;
        d += 1;
    }
    d
}

fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

pub fn thousands(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2024-09` as `Sep 2024`; other labels unchanged.
pub fn month_short(period: &str) -> String {
    match crate::util::Month::parse(period) {
        Some(m) => format!("{} {}", MONTHS[(m.month - 1) as usize], m.year),
        None => period.to_string(),
    }
}

/// `2024-09` as `September 2024`; other labels unchanged.
pub fn month_long(period: &str) -> String {
    match crate::util::Month::parse(period) {
        Some(m) => format!("{} {}", MONTHS_LONG[(m.month - 1) as usize], m.year),
        None => period.to_string(),
    }
}
