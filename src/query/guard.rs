//! What a statement may do, read before polars runs it: one `SELECT` query over the
//! dataset's tables and views, no table functions (polars SQL's `read_csv`,
//! `read_parquet` and the like read any file or URL), and no nesting deep enough to
//! exhaust the stack.
use crate::error::{Result, SoteriaError};
use sqlparser::ast::{Expr, Statement, TableFactor, Visit, Visitor};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

/// Deeper expressions than this are refused: a 5,000-term `OR` chain overflowed the stack.
pub const MAX_DEPTH: usize = 400;

/// Checks a statement; a statement that does not parse is left to polars, whose message
/// names the mistake.
pub fn check(sql: &str) -> Result<()> {
    let Ok(statements) = Parser::parse_sql(&GenericDialect, sql) else {
        return Ok(());
    };
    if statements.len() > 1 {
        return Err(refused("one statement at a time".into()));
    }
    let Some(statement) = statements.first() else {
        return Ok(());
    };
    if !matches!(statement, Statement::Query(_)) {
        let verb = sql
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_uppercase();
        return Err(refused(format!(
            "only queries (SELECT, WITH) are run, not {}",
            crate::util::excerpt(&verb)
        )));
    }
    let mut guard = Guard::default();
    match statement.visit(&mut guard) {
        ControlFlow::Break(why) => Err(refused(why)),
        ControlFlow::Continue(()) => Ok(()),
    }
}

fn refused(why: String) -> SoteriaError {
    SoteriaError::Usage(format!(
        "SQL refused: {why}. Soteria reads only the dataset's tables and the crimes and flightdeck views"
    ))
}

#[derive(Default)]
struct Guard {
    depth: usize,
}

impl Visitor for Guard {
    type Break = String;

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<String> {
        match factor {
            TableFactor::Table {
                name,
                args: Some(_),
                ..
            } => ControlFlow::Break(format!(
                "`{}(...)` is a table function, which would read a file or a URL",
                crate::util::excerpt(&name.to_string())
            )),
            TableFactor::TableFunction { .. }
            | TableFactor::Function { .. }
            | TableFactor::JsonTable { .. }
            | TableFactor::OpenJsonTable { .. }
            | TableFactor::XmlTable { .. }
            | TableFactor::SemanticView { .. } => {
                ControlFlow::Break("table functions are not allowed".into())
            }
            _ => ControlFlow::Continue(()),
        }
    }

    fn pre_visit_expr(&mut self, _: &Expr) -> ControlFlow<String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return ControlFlow::Break(format!(
                "expressions nest more than {MAX_DEPTH} deep (a long chain of OR or AND is one: use IN (...))"
            ));
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, _: &Expr) -> ControlFlow<String> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_functions_other_statements_and_deep_nesting_are_refused() {
        for sql in [
            "SELECT * FROM read_csv('/etc/os-release')",
            "SELECT * FROM read_parquet('http://127.0.0.1:8765/x.parquet')",
            "SELECT * FROM offences o JOIN read_ipc('/tmp/x.arrow') r ON o.crime_id = r.crime_id",
            "WITH x AS (SELECT * FROM read_json('/tmp/x.json')) SELECT * FROM x",
            "SELECT * FROM offences WHERE crime_id IN (SELECT crime_id FROM read_csv('a.csv'))",
            "COPY offences TO '/tmp/out.csv'",
            "CREATE TABLE t AS SELECT * FROM offences",
            "DROP TABLE offences",
            "SELECT 1; SELECT 2",
        ] {
            let e = check(sql).unwrap_err().to_string();
            assert!(e.contains("SQL refused"), "{sql}: {e}");
        }
        let chain = (0..5000)
            .map(|i| format!("crime_id = 'C{i}'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let e = check(&format!("SELECT * FROM offences WHERE {chain}")).unwrap_err();
        assert!(e.to_string().contains("nest more than"), "{e}");
        for sql in [
            "SELECT offence_group, count(*) FROM crimes GROUP BY 1",
            "WITH r AS (SELECT * FROM offences) SELECT count(*) FROM r",
            "SELECT * FROM offences o JOIN outcomes u USING (crime_id) WHERE victim_age > 18",
        ] {
            check(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
}
