import io
import uuid
from typing import Any

from PIL import Image


def jpeg(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(buffer, "JPEG")
    return buffer.getvalue()


def data_url(content: bytes) -> str:
    import base64

    return "data:image/jpeg;base64," + base64.b64encode(content).decode()


def item(kind: str, data: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    return {"key": key or str(uuid.uuid4()), "kind": kind, "data": data}


def send(client: Any, *items: dict[str, Any]) -> Any:
    return client.post("/api/v1/field/outbox/", {"items": list(items)}, format="json")
