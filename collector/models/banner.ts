import { Schema, type InferSchemaType } from 'mongoose';

/** A banner partners can paste; `_id` is its banner ID, used as `a_bid`. */
export const bannerSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    imageUrl: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    /** Page of the site the banner links to (path on ASHOP_SITE_URL). */
    targetPath: { type: String, required: true, default: '/' },
    altText: { type: String, required: true },
    active: { type: Boolean, required: true, default: true },
  },
  { collection: 'banners', versionKey: false, timestamps: true },
);

export type BannerDoc = InferSchemaType<typeof bannerSchema>;
