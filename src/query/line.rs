//! A small line editor for the query shell: left and right, home and end, backspace and
//! delete, up and down through the history, Ctrl-C to drop the line, Ctrl-D to leave.
//! Written here rather than taken from a crate because the usual crates switch on a libc
//! feature that would rebuild all of polars; it needs only termios.
use std::io::{self, Read, Write};

/// What the user did with a line.
pub enum Input {
    Line(String),
    /// Ctrl-C: the line was dropped.
    Interrupted,
    /// Ctrl-D on an empty line, or the end of input.
    Eof,
}

pub struct LineEditor {
    pub history: Vec<String>,
    interactive: bool,
}

struct RawMode {
    original: libc::termios,
}

impl RawMode {
    fn enter() -> io::Result<RawMode> {
        // SAFETY: termios is plain data; tcgetattr fills it for the terminal on fd 0.
        let mut original: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(0, &mut original) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut raw = original;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
        raw.c_iflag &= !(libc::IXON | libc::ICRNL);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: sets the terminal attributes of fd 0 from a valid termios.
        if unsafe { libc::tcsetattr(0, libc::TCSAFLUSH, &raw) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(RawMode { original })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the attributes read in `enter`.
        unsafe {
            libc::tcsetattr(0, libc::TCSAFLUSH, &self.original);
        }
    }
}

impl LineEditor {
    pub fn new() -> LineEditor {
        // SAFETY: isatty only inspects the descriptors.
        let interactive = unsafe { libc::isatty(0) == 1 && libc::isatty(1) == 1 };
        LineEditor {
            history: Vec::new(),
            interactive,
        }
    }

    pub fn is_interactive(&self) -> bool {
        self.interactive
    }

    pub fn read_line(&mut self, prompt: &str) -> io::Result<Input> {
        if !self.interactive {
            let mut line = String::new();
            return Ok(match io::stdin().read_line(&mut line)? {
                0 => Input::Eof,
                _ => Input::Line(line.trim_end_matches(['\n', '\r']).to_string()),
            });
        }
        let _raw = RawMode::enter()?;
        let mut out = io::stdout();
        let mut buffer: Vec<char> = Vec::new();
        let mut cursor = 0usize;
        let mut recall = self.history.len();
        let redraw = |out: &mut io::Stdout, buffer: &[char], cursor: usize| -> io::Result<()> {
            let text: String = buffer.iter().collect();
            write!(out, "\r\x1b[K{prompt}{text}")?;
            let back = buffer.len() - cursor;
            if back > 0 {
                write!(out, "\x1b[{back}D")?;
            }
            out.flush()
        };
        redraw(&mut out, &buffer, cursor)?;
        let mut stdin = io::stdin().lock();
        let mut byte = [0u8; 1];
        let mut pending: Vec<u8> = Vec::new();
        loop {
            if stdin.read(&mut byte)? == 0 {
                return Ok(Input::Eof);
            }
            match byte[0] {
                b'\r' | b'\n' => {
                    write!(out, "\r\n")?;
                    out.flush()?;
                    return Ok(Input::Line(buffer.iter().collect()));
                }
                3 => {
                    write!(out, "^C\r\n")?;
                    out.flush()?;
                    return Ok(Input::Interrupted);
                }
                4 if buffer.is_empty() => {
                    write!(out, "\r\n")?;
                    return Ok(Input::Eof);
                }
                4 if cursor < buffer.len() => {
                    buffer.remove(cursor);
                }
                1 => cursor = 0,
                5 => cursor = buffer.len(),
                127 | 8 if cursor > 0 => {
                    cursor -= 1;
                    buffer.remove(cursor);
                }
                27 => {
                    let mut seq = [0u8; 2];
                    stdin.read_exact(&mut seq)?;
                    match (seq[0], seq[1]) {
                        (b'[', b'D') if cursor > 0 => cursor -= 1,
                        (b'[', b'C') if cursor < buffer.len() => cursor += 1,
                        (b'[', b'H') => cursor = 0,
                        (b'[', b'F') => cursor = buffer.len(),
                        (b'[', b'A') if recall > 0 => {
                            recall -= 1;
                            buffer = self.history[recall].chars().collect();
                            cursor = buffer.len();
                        }
                        (b'[', b'B') => {
                            if recall + 1 < self.history.len() {
                                recall += 1;
                                buffer = self.history[recall].chars().collect();
                            } else {
                                recall = self.history.len();
                                buffer.clear();
                            }
                            cursor = buffer.len();
                        }
                        (b'[', b'3') => {
                            let mut tilde = [0u8; 1];
                            stdin.read_exact(&mut tilde)?;
                            if cursor < buffer.len() {
                                buffer.remove(cursor);
                            }
                        }
                        _ => {}
                    }
                }
                b if b >= 32 && b != 127 => {
                    pending.push(b);
                    if let Ok(text) = std::str::from_utf8(&pending) {
                        for c in text.chars() {
                            buffer.insert(cursor, c);
                            cursor += 1;
                        }
                        pending.clear();
                    } else if pending.len() >= 4 {
                        pending.clear();
                    }
                }
                _ => {}
            }
            redraw(&mut out, &buffer, cursor)?;
        }
    }
}

impl Default for LineEditor {
    fn default() -> Self {
        Self::new()
    }
}
