//! Builds that embed `target/site` (the console's wasm, js, css and public files) with rust-embed: release builds,
//! and debug builds with the `embed-site` feature. Cargo does not know about files the embed had not seen, so
//! such a build reruns whenever the site changes; other debug builds read the site from disk and need no rebuild.
fn main() {
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    if release || std::env::var_os("CARGO_FEATURE_EMBED_SITE").is_some() {
        println!("cargo:rerun-if-changed=../target/site");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
