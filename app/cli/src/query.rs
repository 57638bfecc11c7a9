//! `within500 query`: one query through one design, as JSON.

use serde_json::{json, Value};
use within500_engine::{
    in_city_bounds, key_seed, noise_seed, Aggregate, BlurredQuery, DpCount, Exposed, LatLng, PrivateProximity, Query,
    DEFAULT_AGGREGATE_RESOLUTION,
};

use crate::{DesignArg, QueryArgs};

pub fn run(args: &QueryArgs) -> Result<(), String> {
    let at = LatLng::new(args.lat, args.lng);
    if !(-90.0..=90.0).contains(&at.lat) || !(-180.0..=180.0).contains(&at.lng) {
        return Err(format!("--lat {} --lng {} is not a position in degrees", at.lat, at.lng));
    }
    if !in_city_bounds(at) {
        return Err(format!(
            "--lat {} --lng {} is outside the synthetic city: stay within 20 km of 38.04 N 114.51 E",
            at.lat, at.lng
        ));
    }
    if args.design.design == DesignArg::Psi && args.debtor.is_none() {
        return Err("--design psi needs --debtor ID (a listed person's id, see `generate`)".into());
    }
    let city = args.city.generate()?;
    let seed = args.city.seed;
    let d = &args.design;
    let query = Query { at, radius_m: d.radius };
    let kind = d.design.kind();
    let answer: Value = match d.design {
        DesignArg::Exposed => {
            let a = Exposed { fidelity: d.fidelity.into() }.answer(&city, query);
            json!({ "level": a.level.slug(), "count": a.entries.len(), "people": a.entries })
        }
        DesignArg::Aggregate => {
            let a = Aggregate::new(&city, d.k, DEFAULT_AGGREGATE_RESOLUTION).answer(query);
            let cells: Vec<Value> = a
                .cells
                .iter()
                .map(|c| json!({ "cell": format!("{:x}", c.cell), "count": c.count, "overlap_permille": c.overlap_permille }))
                .collect();
            json!({ "k": a.k, "cells": cells, "estimate": a.estimate })
        }
        DesignArg::Dp => {
            if d.epsilon > d.epsilon_budget {
                return Err(format!(
                    "--epsilon {} exceeds --epsilon-budget {}: no query could be answered",
                    d.epsilon.as_f64(),
                    d.epsilon_budget.as_f64()
                ));
            }
            let mut dp = DpCount::new(d.epsilon, d.epsilon_budget, noise_seed(seed));
            let a = dp.answer(&city, query).map_err(|e| e.to_string())?;
            json!({
                "noisy_count": a.noisy_count,
                "epsilon": d.epsilon.as_f64(),
                "epsilon_spent": a.spent_micros as f64 / 1e6,
                "epsilon_left": a.left_micros as f64 / 1e6,
            })
        }
        DesignArg::Blur => {
            let a = BlurredQuery::new(d.blur_epsilon, noise_seed(seed)).answer(&city, query);
            json!({ "count": a.count, "blur_epsilon_per_m": d.blur_epsilon })
        }
        DesignArg::Psi => {
            let debtor = args.debtor.unwrap_or_default();
            let psi = PrivateProximity::new(d.psi_hash.into(), key_seed(seed));
            let a = psi.answer(&city, at, debtor).map_err(|e| format!("--debtor {debtor}: {e}"))?;
            json!({ "near": a.near, "hash": psi.hash().slug() })
        }
    };
    let out = json!({
        "synthetic": true,
        "note": "Synthetic data from Within 500 m: no real person.",
        "city": { "seed": seed, "people": args.city.people, "listed_rate": args.city.listed_rate },
        "query": { "lat": at.lat, "lng": at.lng, "radius_m": d.radius },
        "design": kind.slug(),
        "discloses": kind.discloses_en(),
        "answer": answer,
    });
    println!("{}", serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?);
    Ok(())
}
