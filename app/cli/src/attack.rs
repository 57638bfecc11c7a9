//! `within500 attack`: one attacker against one design, metrics as one JSON object.

use serde_json::json;
use within500_engine::{
    dictionary_attack, key_seed, run_lab, Aggregate, AttackerKind, LabConfig, Target, DEFAULT_AGGREGATE_RESOLUTION,
};

use crate::{AttackArgs, DesignArg};

pub fn run(args: &AttackArgs) -> Result<(), String> {
    let attacker = args.attacker;
    let city = args.city.generate()?;
    let q = &args.design;
    let metrics = match (q.design, attacker) {
        (DesignArg::Psi, AttackerKind::Dictionary) => dictionary_attack(&city, q.psi_hash.into(), key_seed(args.city.seed)),
        (DesignArg::Psi, _) => {
            return Err("--design psi answers only a creditor's question about their own debtor: use --attacker dictionary".into())
        }
        (_, AttackerKind::Dictionary) => {
            return Err("--attacker dictionary reverses hashed cells, which only --design psi uses".into())
        }
        (design, _) => {
            let target = match design {
                DesignArg::Exposed => Target::Exposed(q.fidelity.into()),
                DesignArg::Aggregate => Target::Aggregate(Aggregate::new(&city, q.k, DEFAULT_AGGREGATE_RESOLUTION)),
                DesignArg::Dp => Target::Dp { epsilon: q.epsilon, budget: q.epsilon_budget, protected: !args.unprotected },
                DesignArg::Blur => Target::Blur { epsilon_per_m: q.blur_epsilon, protected: !args.unprotected },
                DesignArg::Psi => unreachable!("handled above"),
            };
            let config = LabConfig { attacker, budget: args.budget, radius_m: q.radius, seed: args.city.seed };
            run_lab(&city, &config, &target)
        }
    };
    let mut out = json!({
        "synthetic": true,
        "seed": args.city.seed,
        "people": args.city.people,
        "design": metrics.design,
        "attacker": metrics.attacker,
        "budget": args.budget,
        "targets": metrics.targets,
        "located_50m": metrics.located_50m,
        "located_200m": metrics.located_200m,
        "median_error_m": metrics.median_error_m,
        "reidentified_share": metrics.reidentified_share,
        "households_exposed": metrics.households_exposed,
        "queries_used": metrics.queries_used,
        "max_queries_per_target": metrics.max_queries_per_target,
        "epsilon_spent": metrics.epsilon_spent,
        "count_error": metrics.count_error,
        "reversed_share": metrics.reversed_share,
        "error_curve": metrics.error_curve,
    });
    if args.outcomes {
        out["outcomes"] = serde_json::to_value(&metrics.outcomes).map_err(|e| e.to_string())?;
    }
    println!("{}", serde_json::to_string(&out).map_err(|e| e.to_string())?);
    Ok(())
}
