//! Scenario model → one fault tree per service (filled in next).

use super::FaultTree;
use crate::model::Model;

pub fn service_trees(_model: &Model) -> Vec<FaultTree> {
    Vec::new()
}
