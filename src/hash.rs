//! Stable hashes: FNV-1a for interval fuzz and card content hashes, which
//! are stored and replayed, so they must not change between Rust releases
//! the way std's hasher may; and [`fast_hash`], the quick one that tells a
//! changed deck file and checksums the files in the cache folder.

/// Hashes byte strings; each part is terminated so ("ab","c") ≠ ("a","bc").
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut hasher = Fnv::new();
    for part in parts {
        hasher.part(part);
    }
    hasher.finish()
}

/// The same hash fed part by part, without collecting the parts first.
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// Adds one part (followed by its terminator).
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        for byte in bytes.iter().chain(std::iter::once(&0xff)) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

/// `v` as 16 lowercase hex digits, as `format!("{v:016x}")` writes them
/// (without the formatting machinery: 50k of them at a start).
pub fn hex16(v: u64) -> [u8; 16] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, digit) in out.iter_mut().enumerate() {
        *digit = DIGITS[((v >> (60 - 4 * i)) & 0xf) as usize];
    }
    out
}

/// The number `text` is [`hex16`] of, if it is one (16 lowercase hex
/// digits), so a stored content hash can be kept as a number.
pub fn parse_hex16(text: &[u8]) -> Option<u64> {
    if text.len() != 16 {
        return None;
    }
    text.iter().try_fold(0u64, |v, &b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(v << 4 | u64::from(digit))
    })
}

/// A 64-bit hash over 32-byte blocks in four lanes (several GB/s), for
/// telling whether a deck file changed and checksumming cache files. Not cryptographic: it guards
/// against edits, not attacks (the cache is the user's own).
pub fn fast_hash(bytes: &[u8]) -> u64 {
    const K: [u64; 4] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
        0x85EB_CA77_C2B2_AE63,
    ];
    let mut lanes = K;
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let word = u64::from_le_bytes(block[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            *lane = (*lane ^ word).wrapping_mul(K[i]).rotate_left(31);
        }
    }
    let mut h = bytes.len() as u64;
    for (i, lane) in lanes.iter().enumerate() {
        h = (h ^ lane.wrapping_mul(K[(i + 1) % 4])).rotate_left(27);
    }
    for &b in blocks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::{fast_hash, hex16, parse_hex16, stable_hash};

    #[test]
    fn parse_hex16_reads_back_exactly_what_hex16_writes() {
        for v in [0, 1, 0xdead_beef, u64::MAX, 0x0123_4567_89ab_cdef] {
            assert_eq!(parse_hex16(&hex16(v)), Some(v));
        }
        assert_eq!(
            parse_hex16(b"0123456789ABCDEF"),
            None,
            "uppercase is not hex16"
        );
        assert_eq!(parse_hex16(b"0123456789abcde"), None);
        assert_eq!(parse_hex16(b"0123456789abcdef0"), None);
        assert_eq!(parse_hex16(b"0123456789abcdeg"), None);
        assert_eq!(parse_hex16(b""), None);
    }

    #[test]
    fn known_values_never_change() {
        // Stored content hashes depend on these exact values (computed
        // independently: FNV-1a 64 over b"dangke" followed by 0xff).
        assert_eq!(stable_hash(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            format!("{:016x}", stable_hash(&[b"dangke"])),
            "36fb4345866efb2e"
        );
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
    }

    #[test]
    fn hex16_writes_what_format_writes() {
        for v in [
            0,
            1,
            0xf,
            0x10,
            0xdead_beef,
            u64::MAX,
            0x0123_4567_89ab_cdef,
        ] {
            let text = format!("{v:016x}");
            assert_eq!(hex16(v), text.as_bytes(), "{v:#x}");
            assert_eq!(parse_hex16(text.as_bytes()), Some(v));
            assert_ne!(parse_hex16(text.as_bytes()), Some(v ^ 1));
        }
        // Stored hashes of other shapes never match: gen.py's "h", a
        // shorter or padded text.
        assert_eq!(parse_hex16(b"00000000DEADBEEF"), None, "lowercase only");
        assert_eq!(parse_hex16(b"h"), None);
        assert_eq!(parse_hex16(b"0"), None);
        assert_eq!(parse_hex16(b" 0000000000000000"), None);
    }

    #[test]
    fn fast_hash_sees_every_byte() {
        let base = vec![7u8; 100];
        let h = fast_hash(&base);
        for i in 0..base.len() {
            let mut v = base.clone();
            v[i] ^= 1;
            assert_ne!(fast_hash(&v), h, "byte {i}");
        }
        assert_ne!(fast_hash(&base[..99]), h);
    }
}
