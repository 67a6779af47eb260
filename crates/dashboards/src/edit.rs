//! Editing a dashboard body's JSON as the console does: setting widgets' places, adding, replacing and removing
//! widgets, changing one widget's properties. Members the editor does not know are kept as they are. Every
//! function returns `None` when the text is not a JSON object with a `widgets` array.

use serde_json::{Map, Value, json};

use crate::arrange;
use crate::body::Placement;

/// The body of a new, empty dashboard.
pub const EMPTY_BODY: &str = "{\n  \"widgets\": []\n}";

fn with_widgets(body: &str, change: impl FnOnce(&mut Vec<Value>)) -> Option<String> {
    let mut value: Value = serde_json::from_str(body).ok()?;
    let widgets = value.as_object_mut()?.get_mut("widgets")?.as_array_mut()?;
    change(widgets);
    serde_json::to_string_pretty(&value).ok()
}

/// Writes each widget's place (`x`, `y`, `width`, `height`) from `placements`, by position.
pub fn set_placements(body: &str, placements: &[Placement]) -> Option<String> {
    with_widgets(body, |widgets| {
        for (widget, place) in widgets.iter_mut().zip(placements) {
            if let Some(object) = widget.as_object_mut() {
                object.insert("x".into(), json!(place.x));
                object.insert("y".into(), json!(place.y));
                object.insert("width".into(), json!(place.width));
                object.insert("height".into(), json!(place.height));
            }
        }
    })
}

/// Appends `widget` (a whole widget object) below every other widget, `width` columns wide.
pub fn append_widget(
    body: &str,
    placements: &[Placement],
    mut widget: Value,
    width: u32,
    height: u32,
) -> Option<String> {
    let place = arrange::clamp(Placement { x: 0, y: arrange::bottom(placements), width, height });
    let object = widget.as_object_mut()?;
    object.insert("x".into(), json!(place.x));
    object.insert("y".into(), json!(place.y));
    object.insert("width".into(), json!(place.width));
    object.insert("height".into(), json!(place.height));
    with_widgets(body, |widgets| widgets.push(widget))
}

/// Removes widget `index`.
pub fn remove_widget(body: &str, index: usize) -> Option<String> {
    with_widgets(body, |widgets| {
        if index < widgets.len() {
            widgets.remove(index);
        }
    })
}

/// Copies widget `index` to the end, under every other widget.
pub fn duplicate_widget(body: &str, placements: &[Placement], index: usize) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let widget = value.get("widgets")?.get(index)?.clone();
    let place = placements.get(index)?;
    append_widget(body, placements, widget, place.width, place.height)
}

/// Widget `index`'s `properties` object (empty when it has none).
pub fn properties(body: &str, index: usize) -> Option<Map<String, Value>> {
    let value: Value = serde_json::from_str(body).ok()?;
    let widget = value.get("widgets")?.get(index)?;
    Some(widget.get("properties").and_then(Value::as_object).cloned().unwrap_or_default())
}

/// Replaces widget `index`'s `properties`.
pub fn set_properties(body: &str, index: usize, properties: Map<String, Value>) -> Option<String> {
    let mut found = false;
    let text = with_widgets(body, |widgets| {
        if let Some(widget) = widgets.get_mut(index).and_then(Value::as_object_mut) {
            widget.insert("properties".into(), Value::Object(properties));
            found = true;
        }
    })?;
    found.then_some(text)
}

/// The body without the widgets' places: two bodies with the same key show the same data.
pub fn data_key(body: &str) -> String {
    with_widgets(body, |widgets| {
        for widget in widgets.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["x", "y", "width", "height"] {
                widget.remove(key);
            }
        }
    })
    .unwrap_or_else(|| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":3,"properties":{"markdown":"hi"},"extra":1}],"periodOverride":"inherit"}"#;

    fn at(x: u32, y: u32, width: u32, height: u32) -> Placement {
        Placement { x, y, width, height }
    }

    #[test]
    fn places_are_written_and_unknown_members_kept() {
        let text = set_placements(BODY, &[at(3, 4, 10, 5)]).expect("edited");
        let value: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value["widgets"][0]["x"], 3);
        assert_eq!(value["widgets"][0]["height"], 5);
        assert_eq!(value["widgets"][0]["extra"], 1);
        assert_eq!(value["periodOverride"], "inherit");
    }

    #[test]
    fn widgets_are_added_below_duplicated_and_removed() {
        let placements = [at(0, 0, 6, 3)];
        let text = append_widget(BODY, &placements, json!({"type": "text", "properties": {"markdown": "b"}}), 12, 6)
            .expect("appended");
        let value: Value = serde_json::from_str(&text).expect("json");
        assert_eq!((value["widgets"][1]["y"].as_u64(), value["widgets"][1]["width"].as_u64()), (Some(3), Some(12)));
        let copied = duplicate_widget(BODY, &placements, 0).expect("copied");
        let value: Value = serde_json::from_str(&copied).expect("json");
        assert_eq!(value["widgets"][1]["properties"]["markdown"], "hi");
        let removed = remove_widget(&copied, 0).expect("removed");
        assert_eq!(serde_json::from_str::<Value>(&removed).expect("json")["widgets"].as_array().map(Vec::len), Some(1));
        assert_eq!(duplicate_widget(BODY, &placements, 9), None);
    }

    #[test]
    fn properties_are_replaced_and_the_data_key_ignores_places() {
        let mut properties = properties(BODY, 0).expect("properties");
        properties.insert("markdown".into(), json!("changed"));
        let text = set_properties(BODY, 0, properties).expect("set");
        assert!(text.contains("changed"));
        assert_eq!(set_properties(BODY, 3, Map::new()), None);
        let moved = set_placements(BODY, &[at(9, 9, 9, 9)]).expect("moved");
        assert_eq!(data_key(&moved), data_key(BODY));
        assert_ne!(data_key(&text), data_key(BODY));
        assert_eq!(data_key("not json"), "not json");
        assert_eq!(set_placements("[]", &[]), None);
    }
}
