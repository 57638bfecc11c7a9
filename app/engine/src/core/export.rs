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

/// The two file formats of a city.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One row per person; the first line is a `#` comment with the synthetic mark and the
    /// settings that reproduce the file (read it with `comment="#"` in pandas).
    Csv,
    /// A `GeoJSON` `FeatureCollection` of homes, one feature per person, the mark and the
    /// settings in its `properties`.
    GeoJson,
}

/// A city's file written a part at a time, so that a caller can show progress between parts and
/// hold only one part in memory (the page's downloads of an 11 000 000-person city). The parts
/// joined are exactly the file [`csv`] or [`geojson`] writes in one go.
///
/// ```
/// use within500_engine::{export::{self, Format, Parts}, City, CityConfig};
/// let city = City::generate(CityConfig { seed: 3, people: 2_000, listed_rate: 0.02 }).unwrap();
/// let mut parts = Parts::new(&city, Format::Csv);
/// let mut joined = Vec::new();
/// while !parts.is_done() {
///     parts.write_next(300, &mut joined).unwrap();
///     assert!(parts.people_written() <= parts.people_total());
/// }
/// let mut whole = Vec::new();
/// export::csv(&city, &mut whole).unwrap();
/// assert_eq!(joined, whole);
/// ```
pub struct Parts<'a> {
    city: &'a City,
    format: Format,
    /// The next person to write; the head is written with the first part.
    next: u32,
    started: bool,
    done: bool,
}

impl<'a> Parts<'a> {
    /// A file of `city` in `format`, nothing written yet.
    #[must_use]
    pub fn new(city: &'a City, format: Format) -> Self {
        Self { city, format, next: 0, started: false, done: false }
    }

    /// People written so far.
    #[must_use]
    pub fn people_written(&self) -> u32 {
        self.next
    }

    /// People the whole file holds.
    #[must_use]
    pub fn people_total(&self) -> u32 {
        self.city.people()
    }

    /// Whether the whole file has been written (its tail included).
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Writes the next part: the head if nothing was written yet, then up to `people` rows, then
    /// the tail once the last person is written. Does nothing once the file is done.
    ///
    /// # Errors
    /// Whatever writing to `out` fails with.
    pub fn write_next(&mut self, people: u32, out: &mut impl Write) -> std::io::Result<()> {
        if self.done {
            return Ok(());
        }
        if !self.started {
            self.head(out)?;
            self.started = true;
        }
        let end = self.next.saturating_add(people).min(self.city.people());
        for id in self.next..end {
            match self.format {
                Format::Csv => self.csv_row(id, out)?,
                Format::GeoJson => self.geojson_feature(id, out)?,
            }
        }
        self.next = end;
        if end == self.city.people() {
            if self.format == Format::GeoJson {
                writeln!(out, "]}}")?;
            }
            self.done = true;
        }
        Ok(())
    }

    fn head(&self, out: &mut impl Write) -> std::io::Result<()> {
        let city = self.city;
        match self.format {
            Format::Csv => {
                writeln!(out, "# {}", mark(city))?;
                writeln!(out, "id,household,lat,lng,listed,name,name_zh,id_number,address,reason,case_number,amount_yuan")
            }
            Format::GeoJson => {
                let c = city.config();
                let head = json!({
                    "synthetic": true,
                    "note": mark(city),
                    "generator": { "seed": c.seed, "people": c.people, "listed_rate": c.listed_rate },
                });
                let head = serde_json::to_string(&head).map_err(std::io::Error::other)?;
                write!(out, "{{\"type\":\"FeatureCollection\",\"properties\":{head},\"features\":[")
            }
        }
    }

    fn csv_row(&self, id: u32, out: &mut impl Write) -> std::io::Result<()> {
        let Some(p) = self.city.person(id) else { return Ok(()) };
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
            field(&self.city.plan().format_en(p.address)),
            field(&reason),
            field(&case),
            amount
        )
    }

    fn geojson_feature(&self, id: u32, out: &mut impl Write) -> std::io::Result<()> {
        let Some(p) = self.city.person(id) else { return Ok(()) };
        let feature = json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [p.home.lng, p.home.lat] },
            "properties": {
                "id": id,
                "household": p.household,
                "listed": p.listing.is_some(),
                "name": p.name.pinyin,
                "address": self.city.plan().format_en(p.address),
                "case_number": p.listing.map(|l| l.case_number()),
            }
        });
        if id > 0 {
            out.write_all(b",")?;
        }
        // serde_json hands back an I/O error as it was (a closed pipe stays a closed pipe).
        serde_json::to_writer(&mut *out, &feature).map_err(std::io::Error::from)
    }
}

/// Writes the whole file of `city` in `format` to `out` in one go.
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn write(city: &City, format: Format, out: &mut impl Write) -> std::io::Result<()> {
    let mut parts = Parts::new(city, format);
    parts.write_next(u32::MAX, out)?;
    out.flush()
}

/// Writes one row per person (see [`Format::Csv`]).
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn csv(city: &City, out: &mut impl Write) -> std::io::Result<()> {
    write(city, Format::Csv, out)
}

/// Writes a `GeoJSON` `FeatureCollection` of homes, one feature per person (see
/// [`Format::GeoJson`]).
///
/// # Errors
/// Whatever writing to `out` fails with.
pub fn geojson(city: &City, out: &mut impl Write) -> std::io::Result<()> {
    write(city, Format::GeoJson, out)
}
