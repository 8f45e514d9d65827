"""The dbt docs site beside the published warehouse opens from disk in a real browser."""
import re

from .conftest import chromium, pdw


def test_docs_site_beside_the_warehouse_shows_the_kpi_model(demo_world, tmp_path):
    index = demo_world.settings.warehouse.parent / "docs" / "index.html"
    assert index.exists()
    dom = chromium(tmp_path, "--virtual-time-budget=30000", "--dump-dom", index.as_uri() + "#!/model/model.pdw.kpi")
    assert dom.returncode == 0
    # the page embeds manifest and catalog in a script: look only at what the browser rendered
    rendered = re.sub(r"<script\b.*?</script>", "", dom.stdout, flags=re.S).replace("&#39;", "'")
    assert "pdw.marts.kpi" in rendered and "Referenced By" in rendered
    assert "Alle KPI's van KPIS.md" in rendered, "the kpi model page with its description"
    assert "CBS-code (GM0622)" in rendered, "its columns with their descriptions"
    shown = pdw("docs", "--warehouse", str(demo_world.settings.warehouse))
    assert shown.returncode == 0 and index.as_uri() in shown.stdout


