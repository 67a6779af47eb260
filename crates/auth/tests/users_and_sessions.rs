//! Users and sessions over a real store.

use skywatch_auth::{Sessions, Users};
use skywatch_model::Role;
use skywatch_store::Store;

const NOW_MS: i64 = 1_795_000_000_000;

async fn add(users: &Users, store: &Store, name: &str, password: &str, role: Role) -> Result<(), String> {
    let change = users.plan_add(name, password, role).await.map_err(|e| e.to_string())?;
    store.apply(vec![change]).await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn passwords_verify_and_sessions_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let store = Store::open(dir.path()).unwrap();
        let users = Users::new(store.clone());
        add(&users, &store, "alice", "correct horse", Role::Viewer).await.unwrap();
        assert!(users.verify("alice", "wrong password").await.unwrap().is_none());
        assert!(users.verify("bob", "correct horse").await.unwrap().is_none());
        let user = users.verify("alice", "correct horse").await.unwrap().unwrap();
        assert_eq!(user.role, Role::Viewer);
        let (token, change) = Sessions::start("alice", Role::Viewer, NOW_MS);
        store.apply(vec![change]).await.unwrap();
        token
    };
    let store = Store::open(dir.path()).unwrap();
    let sessions = Sessions::new(store);
    let session = sessions.get(&token, NOW_MS + 1).await.unwrap().unwrap();
    assert_eq!((session.user.as_str(), session.role), ("alice", Role::Viewer));
    let twelve_hours_later = NOW_MS + skywatch_auth::SESSION_LIFETIME_HOURS * 3_600_000;
    assert!(sessions.get(&token, twelve_hours_later).await.unwrap().is_none(), "sessions expire");
    sessions.delete(&token).await.unwrap();
    assert!(sessions.get(&token, NOW_MS + 1).await.unwrap().is_none());
    assert!(sessions.get("not-a-token", NOW_MS).await.unwrap().is_none());
}

#[tokio::test]
async fn bad_names_and_weak_passwords_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let users = Users::new(store.clone());
    assert!(add(&users, &store, "has space", "long enough", Role::Admin).await.is_err());
    assert!(add(&users, &store, "", "long enough", Role::Admin).await.is_err());
    assert!(add(&users, &store, "carol", "short", Role::Admin).await.is_err());
    assert!(users.add_hashed("carol", "not-a-hash", Role::Admin).await.is_err());
}
