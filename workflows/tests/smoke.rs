#[test]
fn hello_builds_from_its_configuration() {
    let def = &switchboard_workflows::registry()[0];
    assert_eq!(def.name, "hello");
    let cfg = serde_json::json!({"name": "Acme", "sales": "+12065550100"});
    let flow = def.build(&cfg).unwrap();
    assert!(flow.errors.is_empty(), "{:?}", flow.errors);
}
