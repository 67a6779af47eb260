//! Users and sessions over a real store.

use skywatch_auth::{Sessions, Users};
use skywatch_model::Role;
use skywatch_store::Store;

#[tokio::test]
async fn passwords_verify_and_sessions_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let store = Store::open(dir.path()).unwrap();
        let users = Users::new(store.clone());
        users.add("alice", "correct horse", Role::Viewer).await.unwrap();
        assert!(users.verify("alice", "wrong password").await.unwrap().is_none());
        assert!(users.verify("bob", "correct horse").await.unwrap().is_none());
        let user = users.verify("alice", "correct horse").await.unwrap().unwrap();
        assert_eq!(user.role, Role::Viewer);
        Sessions::new(store).create("alice", Role::Viewer).await.unwrap()
    };
    let store = Store::open(dir.path()).unwrap();
    let sessions = Sessions::new(store);
    let session = sessions.get(&token).await.unwrap().unwrap();
    assert_eq!((session.user.as_str(), session.role), ("alice", Role::Viewer));
    sessions.delete(&token).await.unwrap();
    assert!(sessions.get(&token).await.unwrap().is_none());
    assert!(sessions.get("not-a-token").await.unwrap().is_none());
}

#[tokio::test]
async fn bad_names_and_weak_passwords_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let users = Users::new(Store::open(dir.path()).unwrap());
    assert!(users.add("has space", "long enough", Role::Admin).await.is_err());
    assert!(users.add("", "long enough", Role::Admin).await.is_err());
    assert!(users.add("carol", "short", Role::Admin).await.is_err());
    assert!(users.add_hashed("carol", "not-a-hash", Role::Admin).await.is_err());
}
