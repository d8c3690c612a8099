//! A call as the page shows it: the states it went through, in order, with what the caller
//! heard and pressed and what PSTN audio (or a service) reported at each.
//!
//! [`crate::history`] reads one from a Step Functions execution history (a real call's, or
//! the simulator's, recorded in the same shape); a simulator may also fill one directly. A step
//! or the whole trace can carry failed expectations, which the page shows in red.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::graph::{EdgeKind, Graph};

/// One call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// What the call is: a scenario's name, an execution's name or ARN.
    pub title: String,
    /// How the execution ended: `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, or `RUNNING`
    /// when the history stops before its end.
    pub status: String,
    /// `Error: cause` of a failed execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub steps: Vec<Step>,
    /// Expectations that failed, not tied to one step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

/// One state the call went through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The state's name.
    pub state: String,
    /// Milliseconds since the execution started, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<i64>,
    /// What the state asked PSTN audio (the actions of its response) or a service to do, in
    /// words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<String>,
    /// What the caller heard: the text spoken and the audio played by its response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heard: Vec<String>,
    /// The keys the caller pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressed: Option<String>,
    /// What came back: the PSTN audio event that completed the wait, or the service's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// The error the state failed with, `Error: cause` (e.g. `HANGUP: …` when the caller hung
    /// up); its catcher chose the next state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Expectations that failed at this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

/// How the call went from one step to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passage {
    /// Along this edge (index into [`Graph::edges`]).
    Edge(usize),
    /// Through a badge of the previous step's state (index into its node's badges).
    Badge(usize),
    /// Nothing drawn connects them (the first step, or a branch of a Parallel ending).
    None,
}

impl Trace {
    /// How many times the call entered each state.
    pub fn visits(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for s in &self.steps {
            *out.entry(s.state.as_str()).or_default() += 1;
        }
        out
    }

    /// The steps naming a state `graph` does not have, as `(step index, name)`: a history of
    /// another state machine.
    pub fn unknown_states<'a>(&'a self, graph: &Graph) -> Vec<(usize, &'a str)> {
        self.steps
            .iter()
            .enumerate()
            .filter(|(_, s)| graph.node_index(&s.state).is_none())
            .map(|(i, s)| (i, s.state.as_str()))
            .collect()
    }

    /// How the call reached each step from the one before (the first: [`Passage::None`]).
    /// After a step that failed, a catcher's edge or badge; otherwise a transition that is not
    /// a catch.
    pub fn passages(&self, graph: &Graph) -> Vec<Passage> {
        let mut out = Vec::with_capacity(self.steps.len());
        for (i, step) in self.steps.iter().enumerate() {
            let Some(prev) = i.checked_sub(1).map(|p| &self.steps[p]) else {
                out.push(Passage::None);
                continue;
            };
            let failed = prev.error.is_some();
            let edges: Vec<usize> = graph
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.from == prev.state && e.to == step.state)
                .map(|(j, _)| j)
                .collect();
            let preferred = edges
                .iter()
                .copied()
                .find(|&j| (graph.edges[j].kind == EdgeKind::Catch) == failed);
            let badge = graph.node_index(&prev.state).and_then(|n| {
                graph.nodes[n]
                    .badges
                    .iter()
                    .position(|b| b.to == step.state)
            });
            out.push(match (preferred, badge, edges.first()) {
                (Some(j), _, _) => Passage::Edge(j),
                (None, Some(b), _) if failed => Passage::Badge(b),
                (None, _, Some(&j)) => Passage::Edge(j),
                (None, Some(b), None) => Passage::Badge(b),
                (None, None, None) => Passage::None,
            });
        }
        out
    }
}
