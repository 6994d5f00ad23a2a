//! Arbitrary input never panics the parser: it is either a scenario or a list of errors, each
//! with a message and a position inside the input.

use proptest::prelude::*;
use zinc_harness::scenario;

const VALID: &str = include_str!("../../../scenarios/troubleshooting/t3-email-immutable.yaml");

fn assert_sound(bytes: &[u8]) {
    match scenario::parse_bytes("fuzz.yaml", bytes) {
        Ok(s) => assert!(!s.steps.is_empty(), "a scenario that passes has steps"),
        Err(diags) => {
            assert!(!diags.is_empty());
            // YAML line breaks: \n, \r\n, or a lone \r.
            let text = String::from_utf8_lossy(bytes)
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            let lines = text.split('\n').count() as u32;
            for d in diags.iter() {
                assert!(!d.message.is_empty());
                assert!(
                    d.line <= lines.max(1),
                    "{d} is past the end ({lines} lines)"
                );
                let _ = d.to_string();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        assert_sound(&bytes);
    }

    #[test]
    fn yaml_like_text_never_panics(text in "[-a-z_:{}\\[\\], \"'*&!|>#\n\t0-9.]{0,400}") {
        assert_sound(text.as_bytes());
    }

    #[test]
    fn a_valid_file_with_random_damage_never_panics(
        edits in proptest::collection::vec((0..VALID.len(), any::<u8>()), 1..8),
        cut in 0..VALID.len(),
    ) {
        let mut bytes = VALID.as_bytes().to_vec();
        for (at, b) in edits {
            bytes[at] = b;
        }
        assert_sound(&bytes);
        assert_sound(&VALID.as_bytes()[..cut]);
    }
}
