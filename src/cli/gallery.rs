//! `soteria gallery`: one chart of every kind from a dataset, as SVG and PNG, with an
//! HTML page that shows them with their alternative text.
use super::DataArgs;
use crate::charts::default_height_mm;
use crate::charts::{DEFAULT_WIDTH_MM, RenderOptions, Size, alt_text};
use crate::error::Result;
use crate::figures::{ChartRequest, Kind, chart};
use crate::format::escape_xml as escape;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    soteria gallery --out gallery/\n  \
    soteria gallery --data extract/ --force Cleveland --group rape --out gallery/ --dpi 150")]
pub struct GalleryArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub force: Option<String>,
    /// Offence group: all, rape or other_sexual.
    #[arg(long, value_enum, default_value = "all")]
    pub group: crate::schema::OffenceGroup,
    /// PNG resolution in dots per inch.
    #[arg(long, value_name = "N", default_value_t = crate::charts::DEFAULT_DPI)]
    pub dpi: f64,
    /// Folder for the charts and index.html.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: GalleryArgs) -> Result<()> {
    let dataset = args.data.load()?;
    let mut items = Vec::new();
    for kind in Kind::ALL {
        let request = ChartRequest {
            force: args.force.clone(),
            group: args.group,
            ..ChartRequest::new(kind)
        };
        let (c, labels) = chart(&dataset, &request)?;
        let options = RenderOptions {
            size: Size::Mm {
                width: DEFAULT_WIDTH_MM,
                height: default_height_mm(&c),
            },
            dpi: args.dpi,
        };
        for ext in ["svg", "png"] {
            crate::charts::write(
                &args.out.join(format!("{}.{ext}", kind.as_str())),
                &c,
                &labels,
                &options,
            )?;
        }
        items.push((kind.as_str(), labels.title.clone(), alt_text(&c, &labels)));
    }
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Soteria chart gallery</title>\n<style>body{font-family:Arial,Helvetica,sans-serif;max-width:60rem;margin:2rem auto;color:#0b0c0c}img{width:100%;border:1px solid #e1e3e5}figcaption{color:#505a5f;font-size:.9rem}</style></head><body>\n<h1>Soteria chart gallery</h1>\n",
    );
    for (kind, title, alt) in &items {
        html.push_str(&format!(
            "<figure><h2>{}</h2><img src=\"{kind}.svg\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n",
            escape(title),
            escape(alt),
            escape(alt)
        ));
    }
    html.push_str("</body></html>\n");
    crate::output::write_atomic(&args.out.join("index.html"), html.as_bytes())?;
    eprintln!(
        "soteria: wrote {} charts (SVG and PNG) and index.html to {}",
        items.len(),
        args.out.display()
    );
    Ok(())
}
