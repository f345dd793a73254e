"""Pictures for the demo interviews, drawn with Pillow.

They are abstract compositions (layered hills, a sea, light under water,
out-of-focus stage lights, a silhouette), so the demo ships no third-party
photograph and the alt texts can describe exactly what is drawn. Each scene
is seeded, so a given scene always produces the same picture.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

PHOTO_SIZE = (1600, 1000)
PORTRAIT_SIZE = (800, 800)


def render(scene):
    """JPEG bytes for a scene description from ``content.PHOTOS``."""
    kind = scene["kind"]
    size = PORTRAIT_SIZE if kind == "portrait" else PHOTO_SIZE
    rng = random.Random(scene.get("seed", kind))
    image = _DRAWERS[kind](size, rng, **scene.get("options", {}))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size, top, bottom):
    # linear_gradient runs black (top) to white (bottom); white picks ``bottom``.
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _glow(image, centre, radius, colour, strength=0.8):
    """A soft halo, blurred at a fraction of the size because full-size blurs are slow."""
    scale = 8
    small = (image.width // scale, image.height // scale)
    mask = Image.new("L", small, 0)
    cx, cy = centre[0] / scale, centre[1] / scale
    r = radius / scale
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=round(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(r / 2)).resize(image.size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", image.size, colour), image, mask)


def _ridge(rng, width, base, amplitude, step=8):
    waves = [(rng.uniform(0.5, 3.5), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(4)]
    total = sum(weight for _, _, weight in waves)
    points = []
    for x in range(0, width + step, step):
        u = x / width * math.tau
        y = sum(weight * math.sin(freq * u + phase) for freq, phase, weight in waves) / total
        points.append((x, base + y * amplitude))
    return points


def _landscape(size, rng, sky, far, near, sun, layers=4, water=None, bridge=False):
    width, height = size
    horizon = round(height * (0.62 if water else 0.9))
    image = _gradient(size, sky[0], sky[1])
    sun_centre = (round(width * rng.uniform(0.25, 0.75)), round(horizon * rng.uniform(0.35, 0.6)))
    sun_radius = round(height * 0.07)
    image = _glow(image, sun_centre, sun_radius * 5, sun, strength=0.55)
    draw = ImageDraw.Draw(image)
    x, y = sun_centre
    draw.ellipse((x - sun_radius, y - sun_radius, x + sun_radius, y + sun_radius), fill=sun)
    for i in range(layers):
        t = (i + 1) / layers
        base = horizon - (layers - i) * height * 0.07
        ridge = _ridge(rng, width, base, amplitude=height * (0.05 + 0.05 * (1 - t)))
        draw.polygon([*ridge, (width, horizon), (0, horizon)], fill=_mix(far, near, t))
    if bridge:
        left, right = width * 0.18, width * 0.82
        deck = horizon
        arc = (left, deck - height * 0.22, right, deck + height * 0.22)
        draw.arc(arc, 180, 360, fill=near, width=max(4, height // 120))
        draw.line((0, deck, width, deck), fill=near, width=max(6, height // 90))
        for k in range(1, 12):
            hx = left + (right - left) * k / 12
            top = deck - height * 0.22 * math.sin(math.pi * k / 12)
            draw.line((hx, top, hx, deck), fill=near, width=max(2, height // 400))
    if water:
        sky_part = image.crop((0, 0, width, horizon))
        reflection = sky_part.transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((width, height - horizon))
        tint = Image.new("RGB", reflection.size, water)
        image.paste(Image.blend(reflection, tint, 0.45), (0, horizon))
        draw = ImageDraw.Draw(image)
        for _ in range(60):
            y = rng.uniform(horizon + 4, height)
            length = rng.uniform(40, 260) * (y - horizon) / (height - horizon) + 20
            x = rng.uniform(0, width)
            shade = _mix(water, sun, rng.uniform(0.1, 0.5))
            draw.line((x, y, x + length, y), fill=shade, width=2)
    else:
        draw.rectangle((0, horizon, width, height), fill=near)
    return image


def _underwater(size, rng, top, bottom, light, grass):
    width, height = size
    image = _gradient(size, top, bottom)
    # Shafts of light: drawn small, blurred, then blended in as a mask.
    scale = 8
    mask = Image.new("L", (width // scale, height // scale), 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(7):
        x = rng.uniform(0, width / scale)
        spread = rng.uniform(4, 14)
        lean = rng.uniform(-30, 30)
        draw.polygon(
            [
                (x - 2, 0),
                (x + 2, 0),
                (x + lean + spread, height / scale),
                (x + lean - spread, height / scale),
            ],
            fill=rng.randint(40, 90),
        )
    mask = mask.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BILINEAR)
    image = Image.composite(Image.new("RGB", size, light), image, mask)
    draw = ImageDraw.Draw(image)
    for _ in range(90):
        x = rng.uniform(-20, width + 20)
        blade_height = rng.uniform(0.15, 0.45) * height
        sway = rng.uniform(-60, 60)
        points = []
        for k in range(13):
            t = k / 12
            points.append((x + sway * t * t + 6 * math.sin(t * 6), height - blade_height * t))
        shade = _mix(grass, bottom, rng.uniform(0, 0.5))
        draw.line(points, fill=shade, width=rng.randint(5, 12), joint="curve")
    for _ in range(25):
        x, y = rng.uniform(0, width), rng.uniform(0, height * 0.7)
        r = rng.uniform(3, 12)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=light, width=2)
    return image


def _bokeh(size, rng, top, bottom, lights):
    width, height = size
    image = _gradient(size, top, bottom).convert("RGBA")
    scale = 4
    overlay = Image.new("RGBA", (width // scale, height // scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(40):
        x, y = rng.uniform(0, width / scale), rng.gauss(height / scale * 0.45, height / scale * 0.18)
        r = rng.uniform(6, 28)
        colour = rng.choice(lights)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(30, 90)))
    for _ in range(30):
        x, y = rng.uniform(0, width / scale), rng.gauss(height / scale * 0.45, height / scale * 0.12)
        r = rng.uniform(1.5, 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*rng.choice(lights), 220))
    overlay = overlay.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BILINEAR)
    return Image.alpha_composite(image, overlay).convert("RGB")


def _portrait(size, rng, background, figure):
    width, height = size
    image = _gradient(size, background[0], background[1])
    image = _glow(image, (width * rng.uniform(0.3, 0.7), height * 0.3), width * 0.5, background[2], 0.5)
    draw = ImageDraw.Draw(image)
    cx = width / 2
    head = width * 0.14
    head_y = height * 0.46
    draw.ellipse((cx - head, head_y - head, cx + head, head_y + head), fill=figure)
    draw.rectangle((cx - head * 0.5, head_y, cx + head * 0.5, height * 0.66), fill=figure)
    draw.ellipse((cx - width * 0.4, height * 0.64, cx + width * 0.4, height * 1.5), fill=figure)
    return image


_DRAWERS = {
    "landscape": _landscape,
    "underwater": _underwater,
    "bokeh": _bokeh,
    "portrait": _portrait,
}
