//! `within500 attack`: one attacker against one design, metrics as one JSON object beside the
//! reference lines of the same run.

use serde_json::Value;
use within500_engine::{proximity_attack, run_lab, AttackedDesign, DpRelease, LabConfig, Metrics};

use crate::{AttackArgs, DesignArg};

/// Metrics as JSON with the designs' and attackers' slugs; per-target detail only on request.
fn metrics_json(m: &Metrics, outcomes: bool) -> Result<Value, String> {
    let mut v = serde_json::to_value(m).map_err(|e| e.to_string())?;
    v["design"] = m.design.slug().into();
    v["attacker"] = m.attacker.slug().into();
    if let Some(o) = v.as_object_mut() {
        o.remove("recent_queries");
        if !outcomes {
            o.remove("outcomes");
        }
    }
    Ok(v)
}

pub fn run(args: &AttackArgs) -> Result<(), String> {
    let attacker = args.attacker;
    let q = &args.design;
    attacker
        .applies_to(q.design.kind())
        .map_err(|why| format!("--attacker {} --design {}: {}", attacker.slug(), q.design.kind().slug(), why_not(why)))?;
    let city = args.city.generate()?;
    let budget = args.budget.unwrap_or_else(|| attacker.default_budget());
    let config = LabConfig { attacker, budget, radius_m: q.radius, seed: args.city.seed, targets: args.targets };
    let mut psi_us = None;
    let (metrics, noiseless) = if q.design == DesignArg::Psi {
        // One test, both sides, timed here (median of 101) beside the attack's figures.
        psi_us = crate::proximity::psi_test_us(&city, q.psi_hash.into(), 101);
        (proximity_attack(&city, &config, q.psi_hash.into()), None)
    } else {
        let target = AttackedDesign::of_design(&city, &q.params(), !args.unprotected)
            .ok_or("the proximity test is attacked through its messages")?;
        let m = run_lab(&city, &config, &target);
        // The release computed without noise: how close the noisy one lets the attacker come.
        let exact = (q.design == DesignArg::Dp).then(|| run_lab(&city, &config, &AttackedDesign::DpRelease(DpRelease::noiseless(&city))));
        (m, exact)
    };
    let mut out = metrics_json(&metrics, args.outcomes)?;
    out["synthetic"] = true.into();
    out["seed"] = args.city.seed.into();
    out["people"] = args.city.people.into();
    out["budget"] = budget.into();
    out["radius_m"] = q.radius.into();
    if let Some(us) = psi_us {
        out["psi_test_us"] = us.into();
    }
    if let Some(exact) = noiseless {
        out["noiseless_located_50m"] = exact.located_50m.into();
        out["noiseless_homes_recovered_50m"] = exact.homes_recovered_50m.into();
    }
    crate::print_result(&out, args.json)?;
    Ok(())
}

/// Why an attacker does not apply, as the CLI says it (the page words it in its locale files).
fn why_not(why: within500_engine::NotApplicable) -> &'static str {
    use within500_engine::NotApplicable as N;
    match why {
        N::NeedsProximity => "the dictionary, spoof and court attackers work on the proximity test's messages (--design psi)",
        N::OnlyProximityAttackers => {
            "the proximity test answers one creditor about their own case: only the dictionary, spoof and court attackers apply"
        }
        N::NoSessionNoise => "replay calibrates noise drawn per session, which only dp-session has",
        N::NeedsAggregate => "release-diff differences the aggregate table at two resolutions (--design aggregate)",
        N::NeedsProximityLab => "the proximity test's attackers run in the lab's worker, which this page could not start",
    }
}
