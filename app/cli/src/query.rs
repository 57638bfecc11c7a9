//! `within500 query`: one query through one design, as JSON; and the designs' public answers,
//! which `ask` gives too.

use rand::TryRngCore;
use serde_json::{json, Value};
use within500_engine::{in_city_bounds, Answerer, City, DesignAnswer, Epsilon, LatLng, ParamsError, Query};

use crate::proximity::{CreditorArgs, ProximitySession};

use crate::{DesignArg, DesignArgs, QueryArgs};

/// A fresh secret from the operating system for a new session's noise: never replayed.
///
/// # Errors
/// When the operating system has no randomness to give.
pub fn session_secret() -> Result<u64, String> {
    rand::rngs::OsRng.try_next_u64().map_err(|e| format!("cannot draw a session's noise from the operating system: {e}"))
}

/// Checks a position the way the app does, naming the arguments.
pub fn check_position(at: LatLng, lat_name: &str, lng_name: &str) -> Result<(), String> {
    if !(-90.0..=90.0).contains(&at.lat) || !(-180.0..=180.0).contains(&at.lng) {
        return Err(format!("{lat_name} {} {lng_name} {} is not a position in degrees", at.lat, at.lng));
    }
    if !in_city_bounds(at) {
        return Err(format!("{lat_name} {} {lng_name} {}: {}", at.lat, at.lng, within500_engine::outside_city(at)));
    }
    Ok(())
}

/// One design with the state its sessions keep: what `query` asks once and `ask` many times.
pub struct Session<'c> {
    city: &'c City,
    answerer: Answerer,
    psi: Option<ProximitySession>,
    /// Simulated seconds (the blur's time windows).
    pub now_s: u64,
}

impl<'c> Session<'c> {
    /// Prepares a design for a city.
    ///
    /// # Errors
    /// A parameter combination no question could be answered with.
    pub fn new(city: &'c City, args: &DesignArgs, creditor: Option<CreditorArgs>) -> Result<Self, String> {
        let params = args.params();
        params.validate().map_err(|e| match e {
            ParamsError::QuestionOverBudget { question, budget } => {
                format!("--epsilon {question} exceeds --epsilon-budget {budget}: no query could be answered")
            }
        })?;
        let psi = match (args.design, creditor) {
            (DesignArg::Psi, Some(c)) => Some(ProximitySession::new(city, args.psi_hash.into(), &c)?),
            (DesignArg::Psi, None) => return Err("--design psi needs --case CASE, the creditor's case number".into()),
            _ => None,
        };
        let secret = if params.has_sessions() { session_secret()? } else { 0 };
        Ok(Self { city, answerer: Answerer::new(city, params, secret), psi, now_s: 0 })
    }

    /// Starts a new session: a fresh budget and fresh noise where the design has sessions.
    ///
    /// # Errors
    /// When the operating system has no randomness to give.
    pub fn new_session(&mut self) -> Result<(), String> {
        if self.has_sessions() {
            self.answerer.new_session(session_secret()?);
        }
        Ok(())
    }

    /// Whether the design has sessions at all.
    #[must_use]
    pub fn has_sessions(&self) -> bool {
        self.answerer.params().has_sessions()
    }

    /// The design's public answer to one question, as JSON.
    ///
    /// # Errors
    /// A refusal (budget spent, proximity test refused), as one line.
    pub fn answer(&mut self, query: Query) -> Result<Value, String> {
        self.now_s += 1;
        let p = *self.answerer.params();
        let Some(answer) = self.answerer.answer(self.city, query, self.now_s) else {
            let days = u32::try_from(self.now_s / 86_400).unwrap_or(u32::MAX);
            return self.psi.as_mut().ok_or("no creditor")?.test(query.at, days);
        };
        Ok(match answer {
            DesignAnswer::Exposed(a) => json!({ "level": a.level.slug(), "count": a.entries.len(), "people": a.entries }),
            DesignAnswer::Aggregate(a) => {
                let cells: Vec<Value> = a
                    .cells
                    .iter()
                    .map(|c| json!({ "cell": format!("{:x}", c.cell), "count": c.count, "overlap_permille": c.overlap_permille }))
                    .collect();
                json!({ "k": a.k, "cells": cells, "estimate": a.estimate })
            }
            DesignAnswer::Release(a) => {
                let cells: Vec<Value> = a
                    .cells
                    .iter()
                    .map(|c| json!({ "cell": format!("{:x}", c.cell), "noisy_count": c.noisy_count, "overlap_permille": c.overlap_permille }))
                    .collect();
                json!({ "estimate": a.estimate, "cells": cells, "epsilon_total": p.release_epsilon.as_f64() })
            }
            DesignAnswer::Dp(a) => {
                let a = a.map_err(|e| e.to_string())?;
                json!({
                    "noisy_count": a.noisy_count,
                    "cached": a.cached,
                    "epsilon": p.question_epsilon.as_f64(),
                    "epsilon_spent": Epsilon::from_micros(a.spent_micros).as_f64(),
                    "epsilon_left": Epsilon::from_micros(a.left_micros).as_f64(),
                })
            }
            DesignAnswer::Blur(a) => {
                json!({ "count": a.count, "blur_epsilon_per_m": p.blur_epsilon, "epsilon_per_day": self.answerer.blur_epsilon_per_day() })
            }
        })
    }
}

pub fn run(args: &QueryArgs) -> Result<(), String> {
    let at = LatLng::new(args.lat, args.lng);
    check_position(at, "--lat", "--lng")?;
    let creditor = args.psi.creditor(args.design.design)?;
    let city = args.city.generate()?;
    let d = &args.design;
    let mut session = Session::new(&city, d, creditor)?;
    let answer = session.answer(Query { at, radius_m: d.radius })?;
    let kind = d.design.kind();
    let out = json!({
        "synthetic": true,
        "note": "Synthetic data from Within 500 m: no real person.",
        "city": { "seed": args.city.seed, "people": args.city.people, "listed_rate": args.city.listed_rate },
        "query": { "lat": at.lat, "lng": at.lng, "radius_m": d.radius },
        "design": kind.slug(),
        "discloses": kind.discloses_en(),
        "answer": answer,
    });
    crate::print_result(&out, args.json)?;
    Ok(())
}
