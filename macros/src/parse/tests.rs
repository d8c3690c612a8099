use crate::ast::StmtKind;
use crate::testing::parse;
use quote::quote;

#[test]
fn the_tail_is_the_value_and_control_flow_is_not() {
    let (flow, _) = parse(quote!(), quote!(speak("a"); ask()));
    assert!(matches!(flow.body.stmts[1].kind, StmtKind::Tail(_)));
    let (flow, _) = parse(
        quote!(),
        quote!(loop {
            break;
        }),
    );
    assert!(matches!(flow.body.stmts[0].kind, StmtKind::Loop(_)));
}

#[test]
fn unsupported_syntax_is_refused_all_at_once() {
    let (_, errors) = parse(
        quote!((a, b): (Val, Val)),
        quote! {
            for x in y {}
            let (c, d) = e;
            let f = |x| x;
            let g: Val = h;
            let i = j else { return; };
            'outer: loop { break 'outer; }
            speak(k & l);
            while let Ok(m) = n {}
            let o = async {};
            let p = match q { Ok(_) => 1, Err(_) => 2 };
            fn item() {}
            speak(println!("x"));
            parallel!({ a() });
            let r = if s { t };
            let u = format!("{:>5}", v);
        },
    );
    let expected = [
        "flow parameters are plain names",
        "`for` loops are not supported",
        "destructuring is not supported",
        "closures are not supported",
        "type annotations are not used",
        "`let … else` is not supported",
        "loop labels are not supported",
        "bitwise and shift operators",
        "`while let` is not supported",
        "`async` is not supported",
        "a `match` on a step's `Ok`/`Err` is a statement",
        "items (fn, struct, impl…) cannot be declared",
        "`println!` is not supported",
        "parallel! needs at least two blocks",
        "an `if` used as a value needs an `else`",
        "format spec `{:>5}` is not supported",
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (e, want) in errors.iter().zip(expected) {
        assert!(e.contains(want), "{e:?} should contain {want:?}");
    }
}

#[test]
fn match_patterns_are_literals() {
    let (_, errors) = parse(
        quote!(),
        quote!(match d {
            "1" | "2" => a(),
            y => b(),
            Some(z) => c(),
            _ => {}
        }),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("`y` would bind the value"), "{errors:?}");
    assert!(errors[1].contains("match patterns in a call flow are literals"));
}

#[test]
fn not_a_function_is_reported() {
    let cx = crate::ctxt::Ctxt::new();
    assert!(crate::parse::flow(
        &cx,
        quote!(),
        quote!(
            struct S;
        )
    )
    .is_none());
    let errors = crate::testing::messages(cx);
    assert!(
        errors[0].contains("#[call_flow] goes on a function"),
        "{errors:?}"
    );
}
