//! Registering flows: what `#[call_flow(name = "…")]` generates and the `compile` command reads.

use crate::ir::Flow;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// A flow entry point, implemented by `#[call_flow(name = "…")]` on a unit-like type that has the
/// flow function's name.
pub trait CallFlow {
    /// The flow's name: `dist/<NAME>.asl.json`.
    const NAME: &'static str;
    /// The configuration section the flow reads (default: its name).
    const SECTION: &'static str;
    /// The flow's configuration, filled at compile time (`()` when it takes none).
    type Config: DeserializeOwned;
    fn build(config: &Self::Config) -> Flow;
}

/// A registered flow, independent of its configuration type.
#[derive(Clone, Copy)]
pub struct FlowDef {
    pub name: &'static str,
    pub section: &'static str,
    build: fn(&Json) -> Result<Flow, String>,
}

impl std::fmt::Debug for FlowDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowDef")
            .field("name", &self.name)
            .field("section", &self.section)
            .finish()
    }
}

impl FlowDef {
    pub fn of<F: CallFlow>() -> FlowDef {
        FlowDef {
            name: F::NAME,
            section: F::SECTION,
            build: build_with::<F>,
        }
    }
    /// Builds the flow's IR from its configuration section (`Json::Null` when absent).
    ///
    /// The error names the missing or invalid field.
    pub fn build(&self, section: &Json) -> Result<Flow, String> {
        (self.build)(section)
    }
}

fn build_with<F: CallFlow>(section: &Json) -> Result<Flow, String> {
    // An absent or empty section reads as an empty table (a configuration of optional fields,
    // and the error names the first missing field), else as nothing at all (a flow without
    // configuration, `()`); any other section reads as itself.
    let absent = section.is_null() || section.as_object().is_some_and(|m| m.is_empty());
    let first = if absent {
        Json::Object(Default::default())
    } else {
        section.clone()
    };
    let config = serde_json::from_value::<F::Config>(first).or_else(|e| {
        if absent {
            serde_json::from_value::<F::Config>(Json::Null).map_err(|_| e)
        } else {
            Err(e)
        }
    });
    let config = config.map_err(|e| {
        format!(
            "configuration section [{}] of flow `{}`: {e}; set it in the config file or with --set {}.<field>=<value>",
            F::SECTION,
            F::NAME,
            F::SECTION
        )
    })?;
    Ok(F::build(&config))
}
