//! Release builds embed `target/site` (the console's wasm, js, css and public files) with rust-embed. Cargo does
//! not know about files the embed had not seen, so a release build reruns whenever the site changes; debug builds
//! read the site from disk and need no rebuild.
fn main() {
    if std::env::var("PROFILE").is_ok_and(|profile| profile == "release") {
        println!("cargo:rerun-if-changed=../target/site");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
