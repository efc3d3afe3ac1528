// A WASI guest in Rust: usage main DIR CODE WORDS...
// Prints its arguments and $GREETING, copies DIR/in.txt to DIR/out.txt
// with its lines reversed, echoes stdin upper-cased, and exits with CODE.
use std::env;
use std::fs;
use std::io::{self, Read, Write};
use std::process;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: main DIR CODE WORDS...");
        process::exit(2);
    }
    let dir = &args[0];
    let code: i32 = args[1].parse().unwrap_or(2);
    let mut out = io::stdout().lock();
    writeln!(out, "args {}: {}", args.len(), args[2..].join("|")).unwrap();
    let greeting = env::var("GREETING").unwrap_or_else(|_| "(unset)".to_string());
    writeln!(out, "env GREETING={}", greeting).unwrap();

    let input = match fs::read_to_string(format!("{}/in.txt", dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("read in.txt: {}", e);
            process::exit(3);
        }
    };
    let lines: Vec<&str> = input.lines().collect();
    writeln!(out, "in.txt {} lines", lines.len()).unwrap();
    let mut reversed = String::new();
    for line in lines.iter().rev() {
        reversed.push_str(line);
        reversed.push('\n');
    }
    if let Err(e) = fs::write(format!("{}/out.txt", dir), reversed) {
        eprintln!("write out.txt: {}", e);
        process::exit(4);
    }

    let mut stdin = String::new();
    io::stdin().read_to_string(&mut stdin).unwrap();
    writeln!(out, "stdin {} bytes: {}", stdin.len(), stdin.to_uppercase()).unwrap();
    out.flush().unwrap();
    process::exit(code);
}
