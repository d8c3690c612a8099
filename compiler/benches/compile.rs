//! Compile a generated 1,000-statement flow (lowering + IR checks + graph checks + emission,
//! i.e. `compile_flow`) and compare the definition's size with hand-written ASL.
//!
//! `cargo bench -p switchboard-compiler --bench compile` prints the figures. Targets (issue 2):
//! ≤ 20 ms per compilation, ≤ 1.2× the bytes of an equivalent hand-written definition.
//!
//! Size method: the hand-written reference (`shared/reference/`, 41 states written by a person)
//! is re-emitted with our canonical emitter, so both sides have the same formatting; we compare
//! bytes per state. A second figure strips our `Comment`s (the Rust locations a person would not
//! write) to show what the rest of the overhead is.

use serde_json::{json, Value as Json};
use std::time::{Duration, Instant};
use switchboard::ir::{Arm, BinOp, Block, Expr, Flow, Loc, Stmt, StmtKind, Tree};
use switchboard_compiler::asl::StateMachine;
use switchboard_compiler::compile_flow;

#[path = "../../workflows/tests/support/templates.rs"]
mod support;
use support::{templates_ir, Templates};

/// Deterministic generator: a 1,000-statement flow mixing speak, ask, if, match, loop, assign
/// and service calls, every read after its variable is bound.
struct Gen {
    t: Templates,
    line: u32,
    count: usize,
    seed: u64,
}

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn stmt(&mut self, kind: StmtKind) -> Stmt {
        self.line += 1;
        self.count += 1;
        Stmt {
            loc: Loc {
                file: "workflows/src/flows/generated.rs",
                line: self.line,
                column: 5,
            },
            kind,
        }
    }
    fn speak(&mut self, i: usize) -> Stmt {
        let mut action = self.t.speak.clone();
        action.summary = format!("Speak Step {i}");
        if let Tree::Object(kv) = &mut action.params {
            for (k, v) in kv.iter_mut() {
                if k == "Text" {
                    *v = Tree::Leaf(Expr::Binary(
                        BinOp::Concat,
                        Box::new(Expr::str(format!("Step {i}: your count is "))),
                        Box::new(Expr::Call("string", vec![Expr::var("n")])),
                    ));
                }
            }
        }
        self.stmt(StmtKind::Action { action, bind: None })
    }
    fn ask(&mut self, i: usize) -> Stmt {
        let mut action = self.t.ask.clone();
        action.summary = format!("Ask step {i}");
        self.stmt(StmtKind::Action {
            action,
            bind: Some("d".into()),
        })
    }
    fn assign(&mut self) -> Stmt {
        let value = Expr::Binary(
            BinOp::Add,
            Box::new(Expr::var("n")),
            Box::new(Expr::Lit(json!(1))),
        );
        self.stmt(StmtKind::Assign {
            var: "n".into(),
            value,
        })
    }
    fn digits_is(&self, d: &str) -> Expr {
        Expr::Binary(
            BinOp::Eq,
            Box::new(Expr::var("d").field("digits")),
            Box::new(Expr::str(d)),
        )
    }

    /// A block of about `budget` statements.
    fn block(&mut self, budget: usize, depth: u32) -> Block {
        let mut out = Vec::new();
        let start = self.count;
        while self.count - start < budget {
            let i = self.count;
            let pick = if depth >= 3 {
                self.next() % 4
            } else {
                self.next() % 8
            };
            let s = match pick {
                0 => self.speak(i),
                1 => self.ask(i),
                2 => self.assign(),
                3 => {
                    let service = self.t.service.clone();
                    self.stmt(StmtKind::Service {
                        service,
                        bind: None,
                    })
                }
                4 => {
                    let cond = self.digits_is("1");
                    let then = self.block(3, depth + 1);
                    let els = self.block(2, depth + 1);
                    self.stmt(StmtKind::If { cond, then, els })
                }
                5 => {
                    let arms = (1..=3)
                        .map(|k| Arm {
                            patterns: vec![json!(k.to_string())],
                            body: self.block(2, depth + 1),
                            loc: Loc {
                                file: "workflows/src/flows/generated.rs",
                                line: self.line,
                                column: 9,
                            },
                        })
                        .collect();
                    let default = self.block(1, depth + 1);
                    let subject = Expr::var("d").field("digits");
                    self.stmt(StmtKind::Match {
                        subject,
                        arms,
                        default,
                    })
                }
                6 => {
                    // loop { ask; …; if d == "#" { break } }
                    let mut body = vec![self.ask(i)];
                    body.extend(self.block(2, depth + 1));
                    let cond = self.digits_is("#");
                    let brk = self.stmt(StmtKind::Break);
                    body.push(self.stmt(StmtKind::If {
                        cond,
                        then: vec![brk],
                        els: vec![],
                    }));
                    self.stmt(StmtKind::Loop { body })
                }
                _ => self.speak(i),
            };
            out.push(s);
        }
        out
    }
}

fn generated_flow(statements: usize) -> (Flow, usize) {
    let mut g = Gen {
        t: templates_ir(),
        line: 0,
        count: 0,
        seed: 0x5EED_CA11_F10E_u64,
    };
    let mut body = vec![
        g.stmt(StmtKind::Assign {
            var: "n".into(),
            value: Expr::Lit(json!(0)),
        }),
        g.ask(0),
    ];
    body.extend(g.block(statements - 2, 0));
    let flow = Flow {
        name: "generated".into(),
        loc: Loc {
            file: "workflows/src/flows/generated.rs",
            line: 1,
            column: 1,
        },
        doc: "A generated flow for the compile benchmark.".into(),
        body,
        on_error: g.t.on_error.clone(),
        on_no_input: g.t.on_no_input.clone(),
        errors: vec![],
    };
    (flow, g.count)
}

fn strip_comments(v: &mut Json) {
    match v {
        Json::Object(m) => {
            m.remove("Comment");
            m.values_mut().for_each(strip_comments);
        }
        Json::Array(a) => a.iter_mut().for_each(strip_comments),
        _ => {}
    }
}

fn main() {
    let (flow, statements) = generated_flow(1000);
    let compiled = match compile_flow(&flow) {
        Ok(c) => c,
        Err(e) => panic!("the generated flow does not compile: {e:#?}"),
    };
    // Warm up, then time repeated compilations; report the median and the best.
    for _ in 0..3 {
        std::hint::black_box(compile_flow(std::hint::black_box(&flow)).ok());
    }
    let mut times: Vec<Duration> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while times.len() < 200 && (times.len() < 10 || Instant::now() < deadline) {
        let t = Instant::now();
        let c = compile_flow(std::hint::black_box(&flow));
        times.push(t.elapsed());
        assert!(c.is_ok());
    }
    times.sort();
    let median = times[times.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "compile_flow, {statements} IR statements → {} states, {} bytes: median {:.2} ms, best {:.2} ms over {} runs (target ≤ 20 ms) {}",
        compiled.stats.states,
        compiled.stats.bytes,
        ms(median),
        ms(times[0]),
        times.len(),
        if ms(median) <= 20.0 { "OK" } else { "OVER" }
    );

    // Size against the hand-written reference, both through our canonical emitter.
    let ours_per_state = compiled.stats.bytes as f64 / compiled.stats.states as f64;
    let mut stripped: Json = serde_json::from_str(&compiled.json).unwrap();
    strip_comments(&mut stripped);
    let stripped: StateMachine = serde_json::from_value(stripped).unwrap();
    let stripped_per_state = stripped.canonical_size() as f64 / compiled.stats.states as f64;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let reference = StateMachine::from_json(&text).expect("reference parses");
            let states = reference.states.len();
            let ref_per_state = reference.canonical_size() as f64 / states as f64;
            let ratio = ours_per_state / ref_per_state;
            println!(
                "size: ours {ours_per_state:.0} bytes/state, hand-written reference {ref_per_state:.0} bytes/state ({states} states) → {ratio:.2}× (target ≤ 1.2×) {}",
                if ratio <= 1.2 { "OK" } else { "OVER" }
            );
            println!(
                "size without our source-location Comments: {stripped_per_state:.0} bytes/state → {:.2}× the reference",
                stripped_per_state / ref_per_state
            );
        }
        Err(e) => println!("size: reference not found at {}: {e}", path.display()),
    }
}
