//! `within500 ask`: bring your own attacker. Each line of standard input is one JSON object;
//! each gets one JSON line back with exactly the design's public answer, as `query` gives it.

use std::io::{BufRead, Write};

use serde_json::{json, Value};
use within500_engine::{LatLng, Query, MAX_RADIUS_M, MIN_RADIUS_M};

use crate::query::{check_position, Session};
use crate::AskArgs;

/// What one input line asks for.
enum Line {
    Ask(Query),
    NewSession,
    Wait(u64),
}

fn number(v: &Value, field: &str) -> Result<f64, String> {
    match v.get(field) {
        None => Err(format!("\"{field}\" is missing")),
        Some(x) => x.as_f64().filter(|x| x.is_finite()).ok_or_else(|| format!("\"{field}\" must be a number, not {x}")),
    }
}

fn parse_line(text: &str) -> Result<Line, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
    let Some(obj) = v.as_object() else { return Err(format!("not a JSON object: {v}")) };
    if let Some(unknown) = obj.keys().find(|k| !["lat", "lng", "radius", "new_session", "wait_s"].contains(&k.as_str())) {
        return Err(format!("\"{unknown}\" is not a field: use lat, lng and radius, or new_session, or wait_s"));
    }
    if let Some(ns) = obj.get("new_session") {
        return match ns {
            Value::Bool(true) if obj.len() == 1 => Ok(Line::NewSession),
            Value::Bool(true) => Err("\"new_session\" stands alone on its line".into()),
            other => Err(format!("\"new_session\" must be true, not {other}")),
        };
    }
    if let Some(w) = obj.get("wait_s") {
        return w
            .as_u64()
            .filter(|&s| s <= 10 * 365 * 86_400 && obj.len() == 1)
            .map(Line::Wait)
            .ok_or_else(|| format!("\"wait_s\" must stand alone and be whole seconds up to ten years, not {w}"));
    }
    let (lat, lng, radius) = (number(&v, "lat")?, number(&v, "lng")?, number(&v, "radius")?);
    if !(MIN_RADIUS_M..=MAX_RADIUS_M).contains(&radius) {
        return Err(format!("\"radius\" {radius} is out of range: choose 50 to 5000 metres"));
    }
    let at = LatLng::new(lat, lng);
    check_position(at, "\"lat\"", "\"lng\"")?;
    Ok(Line::Ask(Query { at, radius_m: radius }))
}

pub fn run(args: &AskArgs) -> Result<(), String> {
    let creditor = args.psi.creditor(args.design.design)?;
    let city = args.city.generate()?;
    let mut session = Session::new(&city, &args.design, creditor)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("cannot read standard input: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = match parse_line(&line) {
            Err(e) => json!({ "error": e }),
            Ok(Line::NewSession) if !session.has_sessions() => {
                json!({ "new_session": true, "note": "this design has no sessions: its answers do not change" })
            }
            Ok(Line::NewSession) => match session.new_session() {
                Ok(()) => json!({ "new_session": true }),
                Err(e) => json!({ "error": e }),
            },
            Ok(Line::Wait(s)) => {
                session.now_s += s;
                json!({ "waited_s": s, "now_s": session.now_s })
            }
            Ok(Line::Ask(q)) => match session.answer(q) {
                Ok(a) => json!({ "synthetic": true, "answer": a }),
                Err(e) => json!({ "error": e }),
            },
        };
        match writeln!(out, "{reply}").and_then(|()| out.flush()) {
            // The attacker closed its end: the session is over.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(format!("cannot write the output: {e}")),
            Ok(()) => {}
        }
    }
    Ok(())
}
