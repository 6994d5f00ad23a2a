//! The troubleshooting cases of zinc-okta-troubleshooting.txt (troubleshooting-cases.md): the
//! page's question and the contract rules each case proves. `new --case` fills them in.

use crate::contract::Rule;

/// A troubleshooting case: id, the page's question, the rules it proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Case {
    pub id: &'static str,
    pub question: &'static str,
    pub rules: &'static [Rule],
}

pub(crate) const CASES: &[Case] = &[
    Case {
        id: "T1",
        question: "I do not have an API token.",
        rules: &[Rule::Z1, Rule::Z2],
    },
    Case {
        id: "T2",
        question: "Errors occurred when I tested API credentials.",
        rules: &[Rule::Z2, Rule::Z3],
    },
    Case {
        id: "T3",
        question: "Can I update the email (userName) attribute for synced users?",
        rules: &[Rule::Z7, Rule::Z10],
    },
    Case {
        id: "T4",
        question: "Can Zinc users have different userName attributes than their primary email addresses?",
        rules: &[Rule::Z4, Rule::Z5],
    },
    Case {
        id: "T5",
        question: "Can I update user displayName properties in Zinc?",
        rules: &[Rule::Z8],
    },
    Case {
        id: "T6",
        question: "When I create new Groups in the Zinc Admin Console, they are missing from Okta. Why?",
        rules: &[Rule::Z14, Rule::Z15],
    },
    Case {
        id: "T7",
        question: "I cannot edit my synced Groups in the Zinc Admin Console.",
        rules: &[Rule::Z17, Rule::Z18],
    },
    Case {
        id: "T8",
        question: "My deactivated users are not in the Zinc application directory.",
        rules: &[Rule::Z10, Rule::Z11],
    },
    Case {
        id: "T9",
        question: "After I remove a group from the Okta directory, it still appears in Zinc.",
        rules: &[Rule::Z19],
    },
];

/// The case with this id (`T3`).
pub(crate) fn case(id: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.id == id)
}
