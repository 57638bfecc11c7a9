//! The city as CSV or `GeoJSON`, marked synthetic, with the settings that reproduce it. Used by the
//! CLI's `generate` and the app's downloads.

use std::io::Write;

use crate::City;
use serde_json::json;

/// The one-line synthetic-data mark with the settings that reproduce the city.
#[must_use]
pub fn mark(city: &City) -> String {
    let c = city.config();
    format!("SYNTHETIC DATA from Within 500 m (no real person): seed={} people={} listed_rate={}", c.seed, c.people, c.listed_rate)
}

/// Quotes a CSV field if it needs it.
#[must_use]
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes one row per person. The first line is a `#` comment with the synthetic mark and the
/// settings that reproduce the file (read it with `comment="#"` in pandas).
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn csv(city: &City, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "# {}", mark(city))?;
    writeln!(out, "id,household,lat,lng,listed,name,name_zh,id_number,address,reason,case_number,amount_yuan")?;
    let plan = city.plan();
    for id in 0..city.people() {
        let Some(p) = city.person(id) else { continue };
        let (reason, case, amount) = p.listing.map_or((String::new(), String::new(), String::new()), |l| {
            (l.reason.en().to_owned(), l.case_number(), l.amount_yuan.to_string())
        });
        writeln!(
            out,
            "{},{},{:.7},{:.7},{},{},{},{},{},{},{},{}",
            id,
            p.household,
            p.home.lat,
            p.home.lng,
            u8::from(p.listing.is_some()),
            field(&p.name.pinyin),
            field(&p.name.zh),
            p.id_number.as_str(),
            field(&plan.format_en(p.address)),
            field(&reason),
            field(&case),
            amount
        )?;
    }
    out.flush()
}

/// Writes a `GeoJSON` `FeatureCollection` of homes, one feature per person.
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn geojson(city: &City, out: &mut impl Write) -> std::io::Result<()> {
    let c = city.config();
    let head = json!({
        "synthetic": true,
        "note": mark(city),
        "generator": { "seed": c.seed, "people": c.people, "listed_rate": c.listed_rate },
    });
    let head = serde_json::to_string(&head).map_err(std::io::Error::other)?;
    // Stream the features rather than building one huge value.
    write!(out, "{{\"type\":\"FeatureCollection\",\"properties\":{head},\"features\":[")?;
    let plan = city.plan();
    for id in 0..city.people() {
        let Some(p) = city.person(id) else { continue };
        let feature = json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [p.home.lng, p.home.lat] },
            "properties": {
                "id": id,
                "household": p.household,
                "listed": p.listing.is_some(),
                "name": p.name.pinyin,
                "address": plan.format_en(p.address),
                "case_number": p.listing.map(|l| l.case_number()),
            }
        });
        if id > 0 {
            out.write_all(b",")?;
        }
        // serde_json hands back an I/O error as it was (a closed pipe stays a closed pipe).
        serde_json::to_writer(&mut *out, &feature).map_err(std::io::Error::from)?;
    }
    writeln!(out, "]}}")?;
    out.flush()
}
