//! The private proximity test on the command line: the creditor's side and the court's side in
//! one process, exchanging only bytes, with the court's ledger of tests per case kept in a file
//! so that the daily limit holds across sessions and processes.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rand::{SeedableRng, TryRngCore};
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use within500_engine::{
    exchange, key_seed, CellHash, City, Court, Credential, Creditor, LatLng, Ledger, ProximityError, ReplyView, RequestView, TESTS_PER_DAY,
};

/// The creditor's side as the command line gives it.
#[derive(Debug, Clone)]
pub struct CreditorArgs {
    /// The case number.
    pub case: String,
    /// The credential, if the creditor typed one (else the court's for the case).
    pub key: Option<String>,
    /// The simulated day (else today's, in days since 1970 UTC).
    pub day: Option<u32>,
    /// The court's ledger file (else the default under the user's state directory).
    pub ledger: Option<PathBuf>,
    /// Print both messages.
    pub transcript: bool,
}

/// A generator for a test's secrets, seeded from the operating system.
///
/// # Errors
/// When the operating system has no randomness to give.
pub fn secret_rng() -> Result<ChaCha20Rng, String> {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut seed).map_err(|e| format!("cannot draw the test's secrets from the operating system: {e}"))?;
    Ok(ChaCha20Rng::from_seed(seed))
}

/// Today in days since 1 January 1970 (UTC).
fn today() -> u32 {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    u32::try_from(secs / 86_400).unwrap_or(u32::MAX)
}

/// The default ledger: `$WITHIN500_LEDGER`, else `$XDG_STATE_HOME/within500/`, else
/// `~/.local/state/within500/`, one file per city.
fn default_ledger(city: &City) -> PathBuf {
    if let Some(p) = std::env::var_os("WITHIN500_LEDGER") {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    let c = city.config();
    base.join("within500").join(format!("court-ledger-seed{}-people{}-rate{}.json", c.seed, c.people, c.listed_rate))
}

/// The court's ledger file, locked while a test runs so two processes cannot both take the last
/// test of a day.
struct LedgerFile {
    file: File,
    path: PathBuf,
}

impl LedgerFile {
    fn open(path: &Path) -> Result<Self, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the court's ledger folder {}: {e}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| format!("cannot open the court's ledger {}: {e}", path.display()))?;
        file.lock().map_err(|e| format!("cannot lock the court's ledger {}: {e}", path.display()))?;
        Ok(Self { file, path: path.to_owned() })
    }

    fn read(&mut self) -> Result<Ledger, String> {
        let mut text = String::new();
        self.file.read_to_string(&mut text).map_err(|e| format!("cannot read the court's ledger {}: {e}", self.path.display()))?;
        if text.trim().is_empty() {
            return Ok(Ledger::default());
        }
        serde_json::from_str(&text)
            .map_err(|e| format!("the court's ledger {} is damaged ({e}); delete it to start again", self.path.display()))
    }

    fn write(&mut self, ledger: &Ledger) -> Result<(), String> {
        let text = serde_json::to_string_pretty(ledger).map_err(|e| e.to_string())?;
        let fail = |e: std::io::Error| format!("cannot write the court's ledger {}: {e}", self.path.display());
        self.file.set_len(0).map_err(fail)?;
        self.file.seek(SeekFrom::Start(0)).map_err(fail)?;
        self.file.write_all(text.as_bytes()).map_err(fail)?;
        self.file.sync_all().map_err(fail)
    }
}

/// The creditor and the court of a city, ready to test.
pub struct ProximitySession {
    court: Court,
    creditor_case: String,
    credential: Credential,
    hash: CellHash,
    day: u32,
    ledger_path: PathBuf,
    transcript: bool,
}

impl ProximitySession {
    /// Prepares the two sides.
    ///
    /// # Errors
    /// A creditor key that is not 64 hex digits, or a case text that is empty or too long.
    pub fn new(city: &City, hash: CellHash, args: &CreditorArgs) -> Result<Self, String> {
        let case = args.case.trim();
        if case.is_empty() {
            return Err("--case is empty: give a case number such as (2017)冀0003执1234号 (see `generate`'s case_number column)".into());
        }
        if case.len() > 200 {
            return Err(format!("--case is {} bytes long: a case number is at most 200", case.len()));
        }
        let court = Court::new(city, hash, key_seed(city.config().seed));
        let credential = match &args.key {
            Some(k) => Credential::from_hex(k).map_err(|e| format!("--creditor-key: {e}"))?,
            None => court.issue(case),
        };
        Ok(Self {
            court,
            creditor_case: case.to_owned(),
            credential,
            hash,
            day: args.day.unwrap_or_else(today),
            ledger_path: args.ledger.clone().unwrap_or_else(|| default_ledger(city)),
            transcript: args.transcript,
        })
    }

    /// One test with the creditor at `at`, `later_days` after the session's day; the answer as
    /// JSON, with both messages when the transcript was asked for.
    ///
    /// # Errors
    /// When the ledger cannot be read or written, or the system has no randomness.
    pub fn test(&mut self, at: LatLng, later_days: u32) -> Result<Value, String> {
        let day = self.day.saturating_add(later_days);
        let mut file = LedgerFile::open(&self.ledger_path)?;
        self.court.set_ledger(file.read()?);
        let creditor = Creditor::at(self.hash, &self.creditor_case, self.credential, at);
        let mut rng = secret_rng()?;
        let started = Instant::now();
        let e = exchange(&mut self.court, &creditor, day, &mut rng);
        let micros = started.elapsed().as_secs_f64() * 1e6;
        file.write(self.court.ledger())?;
        let mut out = match e.answer {
            Ok(a) => json!({ "near": a.near }),
            Err(ProximityError::LimitReached { per_day }) => {
                json!({ "refused": format!("this case has had its {per_day} tests today (day {day}); the next test is possible on day {}", day + 1) })
            }
            Err(err) => json!({ "refused": err.to_string() }),
        };
        out["hash"] = self.hash.slug().into();
        out["case"] = self.creditor_case.clone().into();
        out["day"] = day.into();
        out["tests_per_day"] = TESTS_PER_DAY.into();
        out["psi_test_us"] = micros.into();
        out["ledger"] = self.ledger_path.display().to_string().into();
        if self.transcript {
            out["transcript"] = transcript(&e.request, &e.reply);
        }
        Ok(out)
    }
}

/// Both messages, with what each side can read in them.
fn transcript(request: &[u8], reply: &[u8]) -> Value {
    let req = RequestView::read(request);
    let rep = ReplyView::read(reply);
    json!([
        {
            "from": "creditor", "to": "court", "bytes": request.len(), "hex": within500_engine::hex(request),
            "case": req.as_ref().map(|r| r.case.clone()), "credential": req.as_ref().map(|r| r.credential.clone()),
            "tokens": req.as_ref().map(|r| r.tokens.clone()),
            "court_sees": "the case and that a test happened; seven points blinded by the creditor's secret scalar, which match no cell it can hash",
        },
        {
            "from": "court", "to": "creditor", "bytes": reply.len(), "hex": within500_engine::hex(reply),
            "refused": rep.refused, "limit": rep.limit, "returned": rep.returned, "debtors": rep.debtors,
            "creditor_sees": "its seven points blinded again (shuffled) and the debtor's cell under a scalar used once: one bit, near or not",
        }
    ])
}

/// The median time of one test, both sides, over `n` tests at the debtor's home of the city's
/// first case (a court with a ledger in memory, a fresh day per test).
#[must_use]
pub fn psi_test_us(city: &City, hash: CellHash, n: usize) -> Option<f64> {
    let listing = city.listings().first()?;
    let mut court = Court::new(city, hash, key_seed(city.config().seed));
    let case = listing.case_number();
    let creditor = Creditor::at(hash, &case, court.issue(&case), city.home(listing.person));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut times: Vec<f64> = (0..n)
        .map(|i| {
            let started = Instant::now();
            let e = exchange(&mut court, &creditor, u32::try_from(i).unwrap_or(u32::MAX), &mut rng);
            let t = started.elapsed().as_secs_f64() * 1e6;
            debug_assert!(e.answer.is_ok());
            t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied()
}
