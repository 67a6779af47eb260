//! `skywatch user add NAME --role admin|viewer`, password from standard input.

use std::io::Read;

use anyhow::{Context, bail};
use skywatch_core::auth::Users;
use skywatch_core::store::Store;

use crate::cli::UserAddArgs;
use crate::config::parse_role;

pub fn add(args: UserAddArgs) -> anyhow::Result<()> {
    let role = parse_role(&args.role)?;
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("cannot read the password from standard input")?;
    let password = input.lines().next().unwrap_or("").to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input (pipe it in, e.g. `echo 'pass word' | skywatch user add NAME --role admin`)"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.data_dir)?;
        let user = Users::new(store.clone()).provision(&args.name, &password, role).await?;
        store.flush().await?;
        println!("user {} added with role {}", user.name, user.role.as_str());
        Ok(())
    })
}
