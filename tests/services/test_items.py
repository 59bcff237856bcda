"""The item list offered when recording a result."""

from __future__ import annotations

from app.services.items import ItemChoice, active_items


def test_active_items_name_their_competent_department(session, city):
    city.item_food.active = False
    session.commit()
    assert active_items(session) == [ItemChoice("ZJ-001", "建筑工程施工许可证核发", "营口市住房和城乡建设局")]
